using Vteam.Build.Policy.Manifests;
using Xunit;

namespace Vteam.Build.Tests.Manifests;

public class ManifestReaderSpecs
{
    [Fact]
    public void I_can_read_every_document_of_a_file_with_the_line_of_each_field()
    {
        const string yaml = """
            # leading comment
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: a
              namespace: ns
            ---
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: b
            spec:
              replicas: 1
            """;

        var objects = ManifestReader.Read("x.yaml", yaml, defaultNamespace: "fallback");

        Assert.Equal(["ServiceAccount a", "Deployment b"], objects.Select(o => o.Describe()));
        Assert.Equal([2, 9], objects.Select(o => o.Line));
        Assert.Equal([5, 12], objects.Select(o => o.NameLine));
        Assert.Equal(["ns", "fallback"], objects.Select(o => o.Namespace));
        Assert.Equal(14, objects[1].Spec!.KeyLine("replicas"));
    }

    [Fact]
    public void Kustomize_files_are_not_taken_for_cluster_objects_and_cluster_scoped_kinds_have_no_namespace()
    {
        const string yaml = """
            apiVersion: kustomize.config.k8s.io/v1alpha1
            kind: Component
            resources: [a.yaml]
            ---
            apiVersion: v1
            kind: Namespace
            metadata:
              name: ambient-code
            """;

        var objects = ManifestReader.Read("k.yaml", yaml, "default");

        var only = Assert.Single(objects);
        Assert.Equal("Namespace", only.Kind);
        Assert.Null(only.Namespace);
    }

    [Fact]
    public void Invalid_yaml_is_reported_with_its_file_and_line_and_without_the_text()
    {
        const string yaml = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  token: \"hunter2-unterminated\n";

        var error = Assert.Throws<ManifestFormatException>(() => ManifestReader.Read("bad.yaml", yaml));

        Assert.StartsWith("bad.yaml:", error.Message);
        Assert.True(error.Line >= 6, $"line {error.Line}");
        Assert.DoesNotContain("hunter2", error.Message);
    }

    [Fact]
    public void A_document_without_kind_is_named_by_line()
    {
        var error = Assert.Throws<ManifestFormatException>(() => ManifestReader.Read("n.yaml", "apiVersion: v1\n---\napiVersion: v1\nmetadata: {}\n"));

        Assert.StartsWith("n.yaml:1:", error.Message);
        Assert.Contains("no kind", error.Message);
    }
}

public class ManifestLoaderSpecs
{
    [Fact]
    public void An_object_without_namespace_takes_the_nearest_kustomization_s_namespace_else_default()
    {
        var root = Directory.CreateTempSubdirectory("loader-").FullName;
        var manifests = Path.Combine(root, "m");
        Directory.CreateDirectory(Path.Combine(manifests, "base", "inner"));
        Directory.CreateDirectory(Path.Combine(manifests, "other"));
        File.WriteAllText(Path.Combine(manifests, "base", "kustomization.yaml"), "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: team-a\n");
        const string map = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: NAME\n";
        File.WriteAllText(Path.Combine(manifests, "base", "inner", "a.yaml"), map.Replace("NAME", "a"));
        File.WriteAllText(Path.Combine(manifests, "other", "b.yaml"), map.Replace("NAME", "b"));
        File.WriteAllText(Path.Combine(manifests, "other", "c.yml"), map.Replace("NAME", "c") + "  namespace: own\n");

        var set = ManifestLoader.Load(new Vteam.Build.Engine.AbsolutePath(manifests), new Vteam.Build.Engine.AbsolutePath(root));

        Assert.Equal(["a team-a m/base/inner/a.yaml", "b default m/other/b.yaml", "c own m/other/c.yml"],
            set.Objects.Select(o => $"{o.Name} {o.Namespace} {o.File}"));
    }
}
