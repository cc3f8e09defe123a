using System.Collections.Concurrent;

namespace Vteam.Build.Engine;

/// <summary>
/// Replaces every known secret with <c>***</c>. One instance serves a whole run: [Secret] parameters,
/// secret environment handed to tools and secrets a scanner found are all registered here, and every
/// line of output, report and exception message passes through <see cref="Mask"/>.
/// </summary>
public sealed class SecretMasker
{
    public const string Placeholder = "***";
    // Very short values would mask ordinary words; such secrets are still never printed by us on purpose.
    private const int MinimumLength = 4;
    private readonly ConcurrentDictionary<string, byte> _secrets = new(StringComparer.Ordinal);
    private volatile string[]? _ordered = [];

    public event Action<string>? Registered;

    public IReadOnlyCollection<string> Secrets => Ordered();

    public void Register(string? secret)
    {
        if (string.IsNullOrEmpty(secret)) return;
        foreach (var value in Variants(secret))
        {
            if (value.Length < MinimumLength || !_secrets.TryAdd(value, 0)) continue;
            // Sorted again on the next mask, not on every registration (a scan may register thousands).
            _ordered = null;
            Registered?.Invoke(value);
        }
    }

    public string Mask(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        var secrets = Ordered();
        foreach (var secret in secrets)
            if (text.Contains(secret, StringComparison.Ordinal))
                text = text.Replace(secret, Placeholder, StringComparison.Ordinal);
        return text;
    }

    // Longest first, so a secret that contains another is masked whole.
    private string[] Ordered() => _ordered ??= _secrets.Keys.OrderByDescending(s => s.Length).ToArray();

    // A multi-line secret (a key) is also masked line by line, since logs break it into lines.
    private static IEnumerable<string> Variants(string secret)
    {
        yield return secret;
        var trimmed = secret.Trim();
        if (trimmed != secret) yield return trimmed;
        if (secret.Contains('\n'))
            foreach (var line in secret.Split('\n'))
                if (line.Trim().Length >= 8) yield return line.Trim();
    }
}
