using System.Text.RegularExpressions;
using Vteam.Build.Policy.Manifests;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace Vteam.Build.Tests.Manifests;

/// <summary>The content the runtime controls carry (plan 3.2): profiles that load under their names, Falco rules Falco can read.</summary>
public class ShippedRuntimeControlsSpecs
{
    private static readonly ManifestSet Shipped = ShippedManifests.Copy().Load();

    [Fact]
    public void Each_AppArmor_profile_declares_the_name_the_pods_refer_to()
    {
        var profiles = Shipped.OfKind("AppArmorProfile").ToArray();

        Assert.NotEmpty(profiles);
        Assert.All(profiles, p =>
        {
            var policy = p.Spec.GetString("policy") ?? "";
            Assert.Matches(new Regex($@"(?m)^\s*profile {Regex.Escape(p.Name)}\s"), policy);
        });
    }

    [Fact]
    public void The_Falco_rules_are_YAML_rules_with_the_fields_Falco_requires()
    {
        var configMap = Assert.Single(Shipped.OfKind("ConfigMap"), c => c.Name == "vteam-falco-rules");
        var data = configMap.Root.GetMap("data")!;
        var stream = new YamlStream();

        stream.Load(new StringReader(data.GetString("vteam-rules.yaml")!));

        var items = ((YamlSequenceNode)stream.Documents[0].RootNode).Maps().ToArray();
        var rules = items.Where(i => i.GetKey("rule") is not null).ToArray();
        Assert.NotEmpty(rules);
        Assert.All(rules, r => Assert.All(new[] { "desc", "condition", "output", "priority" }, key => Assert.NotNull(r.GetString(key))));
        Assert.All(rules, r => Assert.Contains(r.GetString("priority"), new[] { "EMERGENCY", "ALERT", "CRITICAL", "ERROR", "WARNING", "NOTICE", "INFORMATIONAL", "DEBUG" }));
    }
}
