using Xunit;

namespace Vteam.Build.Tests.Rig;

/// <summary>
/// A test that needs the Docker engine and the registry binary. Without CI it is skipped with the
/// reason when they are missing; with CI=true it runs anyway, so a missing engine FAILS the run.
/// </summary>
public sealed class RigFactAttribute : FactAttribute
{
    public RigFactAttribute()
    {
        if (RigEnvironment.IsCi) return;
        var missing = RigEnvironment.Missing();
        if (missing is not null) Skip = missing;
    }
}

public static class RigEnvironment
{
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string DockerHost =>
        Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host ? host : "unix:///var/run/docker.sock";

    public static string? RegistryBinary => FindOnPath("docker-registry") ?? FindOnPath("registry");

    /// <summary>Why the rig cannot run here, or null when it can (a cheap check; the fixture checks for real).</summary>
    public static string? Missing()
    {
        var host = DockerHost;
        if (host.StartsWith("unix://", StringComparison.Ordinal) && !File.Exists(host["unix://".Length..]))
            return $"no Docker engine at {host}: start one (dockerd --storage-driver vfs --iptables=false --bridge=none) or set DOCKER_HOST";
        if (RegistryBinary is null)
            return "the docker-registry binary is not on PATH: apt-get install -y docker-registry";
        return null;
    }

    public static string? FindOnPath(string name)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
