using Xunit;

namespace Vteam.Build.Tests.Containers.RegistryRig;

/// <summary>
/// A test that needs the docker-registry binary (and htpasswd): skipped with the reason when one is
/// missing, failed instead when CI=true. (Stands in for the lead's [RigFact] until it is on main.)
/// </summary>
public sealed class RegistryFactAttribute : FactAttribute
{
    public RegistryFactAttribute()
    {
        var missing = new List<string>();
        if (!LocalRegistry.IsInstalled) missing.Add($"{LocalRegistry.Binary} (apt-get install docker-registry)");
        if (!File.Exists("/usr/bin/htpasswd")) missing.Add("/usr/bin/htpasswd (apt-get install apache2-utils)");
        if (missing.Count > 0 && Environment.GetEnvironmentVariable("CI") != "true")
            Skip = "missing " + string.Join(" and ", missing);
    }
}
