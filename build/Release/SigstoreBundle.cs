using System.Text.Json;

namespace Vteam.Build.Release;

/// <summary>
/// Reads the digest a Sigstore bundle of <c>cosign sign-blob --bundle</c> signed
/// (<c>messageSignature.messageDigest</c>, base64 sha256), so a bundle left over from an older
/// SHA256SUMS is caught before it is published beside a newer one.
/// </summary>
public static class SigstoreBundle
{
    /// <summary>The signed sha256 as lower-case hex; null when the bundle does not say (a DSSE envelope).</summary>
    public static string? SignedSha256(string json, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (!document.RootElement.TryGetProperty("messageSignature", out var signature)
                || !signature.TryGetProperty("messageDigest", out var digest))
                return null;
            var algorithm = digest.TryGetProperty("algorithm", out var a) ? a.GetString() : null;
            if (algorithm is not null && algorithm != "SHA2_256")
                throw new FormatException($"{source}: the bundle signs a {algorithm} digest; expected SHA2_256. Sign {Checksums.FileName} again with cosign sign-blob --bundle.");
            var value = digest.TryGetProperty("digest", out var d) ? d.GetString() : null;
            if (value is null) return null;
            var bytes = new byte[value.Length];
            if (!Convert.TryFromBase64String(value, bytes, out var length) || length != 32)
                throw new FormatException($"{source}: messageSignature.messageDigest.digest is not a base64 sha256. Sign {Checksums.FileName} again with cosign sign-blob --bundle.");
            return Convert.ToHexStringLower(bytes.AsSpan(0, length));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new FormatException($"{source}: not a Sigstore bundle ({e.Message}). Sign {Checksums.FileName} again with cosign sign-blob --bundle, or delete the file.", e);
        }
    }
}
