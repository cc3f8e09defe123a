namespace Vteam.Build.Engine;

/// <summary>
/// A build parameter. Its value comes from the command line (<c>--image-prefix x</c>), else the
/// environment (<c>IMAGE_PREFIX</c>), else <c>.nuke/parameters.json</c>, else the member's default.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class ParameterAttribute(string? description = null) : Attribute
{
    public string? Description { get; } = description;
    /// <summary>Overrides the kebab-case name derived from the member.</summary>
    public string? Name { get; set; }
    /// <summary>Overrides the UPPER_SNAKE environment variable derived from the member.</summary>
    public string? EnvironmentVariable { get; set; }
}

/// <summary>The parameter's value is never printed and is masked in every output.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class SecretAttribute : Attribute;
