using Vteam.Build.Containers;
using Xunit;

namespace Vteam.Build.Tests.Containers;

public class ImageReferenceSpecs
{
    private const string Sha = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    public static TheoryData<string, string, string, string?, string?> Valid => new()
    {
        // text, domain, path, tag, digest
        { "alpine", "docker.io", "library/alpine", null, null },
        { "alpine:3.20", "docker.io", "library/alpine", "3.20", null },
        { "library/alpine:3.20", "docker.io", "library/alpine", "3.20", null },
        { "docker.io/alpine", "docker.io", "library/alpine", null, null },
        { "index.docker.io/library/alpine", "docker.io", "library/alpine", null, null },
        { "user/app", "docker.io", "user/app", null, null },
        { "localhost/app", "localhost", "app", null, null },
        { "localhost:5000/x", "localhost:5000", "x", null, null },
        { "localhost:5000/x:1.0", "localhost:5000", "x", "1.0", null },
        { "127.0.0.1:5000/team/app:v1", "127.0.0.1:5000", "team/app", "v1", null },
        { "quay.io/ambient_code/vteam_backend:latest", "quay.io", "ambient_code/vteam_backend", "latest", null },
        { "ghcr.io/a/b/c/d:1", "ghcr.io", "a/b/c/d", "1", null },
        { "registry.example.com:443/a__b/c-d--e.f:_x", "registry.example.com:443", "a__b/c-d--e.f", "_x", null },
        { "[::1]:5000/x:1", "[::1]:5000", "x", "1", null },
        { "[2001:db8::1]/x", "[2001:db8::1]", "x", null, null },
        { "Registry.Example.com/x", "Registry.Example.com", "x", null, null },
        { "alpine@" + Sha, "docker.io", "library/alpine", null, Sha },
        { "alpine:3.20@" + Sha, "docker.io", "library/alpine", "3.20", Sha },
        { "localhost:5000/x@" + Sha, "localhost:5000", "x", null, Sha },
        { "x:" + new string('a', 128), "docker.io", "library/x", new string('a', 128), null },
        { "x:" + "A_b.C-1", "docker.io", "library/x", "A_b.C-1", null },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void I_can_parse_a_reference_of_the_grammar(string text, string domain, string path, string? tag, string? digest)
    {
        var reference = ImageReference.Parse(text);

        Assert.Equal(domain, reference.Domain);
        Assert.Equal(path, reference.Path);
        Assert.Equal(tag, reference.Tag);
        Assert.Equal(digest, reference.Digest);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("Alpine", "lower case")]
    [InlineData("user/App", "lower case")]
    [InlineData("alpine:", "tag after ':' is empty")]
    [InlineData("alpine:.x", "must not start")]
    [InlineData("alpine:-x", "must not start")]
    [InlineData("alpine:a/b", "registry port 'a'")]
    [InlineData("alpine@sha256:abc", "64 hex characters")]
    [InlineData("alpine@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", "lower-case hex")]
    [InlineData("alpine@md5:0123456789abcdef0123456789abcdef", "not supported")]
    [InlineData("alpine@0123456789abcdef", "algorithm:")]
    [InlineData("a//b", "empty path component")]
    [InlineData("-a/b", "path component '-a'")]
    [InlineData("a_/b", "path component 'a_'")]
    [InlineData("a___b", "path component")]
    [InlineData("localhost:port/x", "not a number")]
    [InlineData("localhost:99999/x", "not a number")]
    [InlineData("exa_mple.com/x", "not a valid host name")]
    [InlineData("-bad.com/x", "not a valid host name")]
    [InlineData("[::1/x", "closing ']'")]
    [InlineData("[1.2.3.4]:5000/x", "not an IPv6 address")]
    [InlineData("alpine 3", "white space")]
    public void A_reference_outside_the_grammar_fails_with_the_reason(string text, string reason)
    {
        var parsed = ImageReference.TryParse(text, out _, out var error);

        Assert.False(parsed);
        Assert.Contains(reason, error);
    }

    [Fact]
    public void A_tag_of_129_characters_is_refused_with_its_length()
    {
        var error = Assert.Throws<FormatException>(() => ImageReference.Parse("x:" + new string('a', 129)));

        Assert.Contains("129 characters", error.Message);
        Assert.Contains("'x:aaa", error.Message);
    }

    [Fact]
    public void A_name_longer_than_255_characters_is_refused()
    {
        var ok = ImageReference.TryParse("quay.io/" + new string('a', 250), out _, out var error);

        Assert.False(ok);
        Assert.Contains("255", error);
    }

    [Theory]
    [InlineData("alpine", "docker.io/library/alpine:latest", "alpine")]
    [InlineData("alpine:3.20", "docker.io/library/alpine:3.20", "alpine:3.20")]
    [InlineData("docker.io/library/alpine:3.20", "docker.io/library/alpine:3.20", "alpine:3.20")]
    [InlineData("library/alpine/extra", "docker.io/library/alpine/extra:latest", "library/alpine/extra")]
    [InlineData("user/app:1", "docker.io/user/app:1", "user/app:1")]
    [InlineData("localhost:5000/x", "localhost:5000/x:latest", "localhost:5000/x")]
    [InlineData("alpine@" + Sha, "docker.io/library/alpine@" + Sha, "alpine@" + Sha)]
    [InlineData("alpine:3@" + Sha, "docker.io/library/alpine:3@" + Sha, "alpine:3@" + Sha)]
    public void I_get_the_canonical_and_the_familiar_form(string text, string canonical, string familiar)
    {
        var reference = ImageReference.Parse(text);

        Assert.Equal(canonical, reference.Canonical);
        Assert.Equal(familiar, reference.Familiar);
    }

    [Fact]
    public void Two_spellings_of_one_image_are_equal()
    {
        Assert.Equal(ImageReference.Parse("alpine:3.20"), ImageReference.Parse("docker.io/library/alpine:3.20"));
        Assert.NotEqual(ImageReference.Parse("alpine:3.20"), ImageReference.Parse("alpine:3.21"));
    }

    [Fact]
    public void Adding_a_digest_keeps_the_tag_and_asks_the_registry_for_the_digest()
    {
        var pinned = ImageReference.Parse("alpine:3.20").WithDigest(Sha);

        Assert.Equal("alpine:3.20@" + Sha, pinned.Familiar);
        Assert.Equal(Sha, pinned.ManifestReference);
        Assert.Equal("3.20", ImageReference.Parse("alpine:3.20").ManifestReference);
        Assert.Equal("latest", ImageReference.Parse("alpine").ManifestReference);
    }
}
