using Vteam.Build.Containers;
using Xunit;

namespace Vteam.Build.Tests.Containers;

public class YamlPinSpecs
{
    [Fact]
    public void I_find_image_fields_with_exact_spans_in_CRLF_multi_document_manifests()
    {
        const string text = "# deploy\r\napiVersion: v1\r\nkind: Pod\r\nspec:\r\n  containers:\r\n  - image: nginx:1.27\r\n    name: web\r\n---\r\nspec:\r\n  initContainers:\r\n    - {name: init, image: 'busybox:1.36'}\r\n  image: \"alpine:3.20\"\r\n";

        var sites = ManifestImageFinder.Find("m.yaml", text, []);

        Assert.Equal([("nginx:1.27", 6), ("busybox:1.36", 11), ("alpine:3.20", 12)], sites.Select(s => (s.Written, s.Line)));
        Assert.All(sites, s => Assert.Equal(s.Written, text.Substring(s.EditSpan!.Value.Start, s.EditSpan.Value.Length)));
    }

    [Fact]
    public void Images_this_build_produces_and_templates_are_left_alone()
    {
        const string text = "a:\n  image: quay.io/ambient_code/vteam_backend:latest\nb:\n  image: ${BACKEND_IMAGE}\nc:\n  image: redis@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\nd:\n  image: Not/Valid\n";

        var sites = ManifestImageFinder.Find("m.yaml", text, ["quay.io/ambient_code/vteam_"]);

        Assert.Equal([ImageSiteState.NotAnImage, ImageSiteState.NotAnImage, ImageSiteState.Pinned, ImageSiteState.Unpinnable], sites.Select(s => s.State));
    }

    [Fact]
    public void A_key_named_image_in_a_sequence_of_strings_or_as_a_value_is_not_taken_for_a_field()
    {
        const string text = "args: [image, 'x:1']\nlabels:\n  name: image\nimage: {repository: x, tag: 1}\n";

        Assert.Empty(ManifestImageFinder.Find("m.yaml", text, []));
    }

    [Fact]
    public void Invalid_YAML_is_reported_with_file_and_line()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ManifestImageFinder.Find("bad.yaml", "a:\n  image: [x\nb: c\n", []));

        Assert.StartsWith("bad.yaml:", error.Message);
        Assert.Contains("not valid YAML", error.Message);
    }

    [Fact]
    public void I_find_workflow_uses_with_their_version_comments()
    {
        const string text = """
            jobs:
              a:
                uses: org/repo/.github/workflows/build.yml@v2
                steps:
                  - uses: actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11 # v4.1.1
                  - uses: ./local
                  - uses: docker://alpine:3.20
                  - uses: github/codeql-action/init@v3
            """;

        var uses = WorkflowUseFinder.Find("ci.yml", text);

        Assert.Equal(
            [("org/repo/.github/workflows/build.yml", "v2", false, null), ("actions/checkout", "b4ffde65f46336ab88eb53be808477a3936bae11", true, "v4.1.1"), ("github/codeql-action/init", "v3", false, null)],
            uses.Select(u => (u.Action, u.Ref, u.IsPinned, u.VersionComment)));
        Assert.Equal(("github", "codeql-action"), (uses[2].Owner, uses[2].Repository));
    }

    [Fact]
    public void Pinning_an_action_keeps_the_version_in_a_comment_and_refresh_follows_the_comment()
    {
        const string sha = "1111111111111111111111111111111111111111";
        const string newer = "2222222222222222222222222222222222222222";
        const string text = "steps:\n  - uses: actions/setup-go@v5\n  - uses: actions/cache@" + sha + " # v4\n";
        var uses = WorkflowUseFinder.Find("ci.yml", text);

        var pin = ActionPinPlanner.Plan("ci.yml", text, uses, u => DigestLookup.Found(u.TrackedRef == "v5" ? sha : newer), refresh: false, write: true);
        var refresh = ActionPinPlanner.Plan("ci.yml", text, uses, u => DigestLookup.Found(u.TrackedRef == "v5" ? sha : newer), refresh: true, write: true);
        var check = ActionPinPlanner.Plan("ci.yml", text, uses, u => DigestLookup.Found(newer), refresh: true, write: false);

        Assert.Equal("steps:\n  - uses: actions/setup-go@" + sha + " # v5\n  - uses: actions/cache@" + sha + " # v4\n", PinPlanner.Apply(text, pin.Edits));
        Assert.Equal("steps:\n  - uses: actions/setup-go@" + sha + " # v5\n  - uses: actions/cache@" + newer + " # v4\n", PinPlanner.Apply(text, refresh.Edits));
        Assert.Equal([PinAction.Unpinned, PinAction.Drifted], check.Decisions.Select(d => d.Action));
        Assert.Empty(check.Edits);
    }
}
