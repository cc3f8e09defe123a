using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vteam.Build.Engine;

/// <summary>.nuke/build.schema.json: the parameters as JSON Schema, so editors complete .nuke/parameters.json.</summary>
internal static class SchemaWriter
{
    public static string Write(TargetGraph graph, IReadOnlyList<ParameterDescriptor> parameters)
    {
        var targetNames = new JsonArray(graph.Nodes.Where(n => !n.Unlisted).Select(n => (JsonNode)JsonValue.Create(n.Name)!).ToArray());
        var properties = new JsonObject
        {
            ["$schema"] = new JsonObject { ["type"] = "string" },
        };
        foreach (var p in parameters)
        {
            var schema = TypeSchema(p.ValueType, p.MemberName == nameof(NukeBuild.Skip) ? targetNames : null);
            if (p.Description is not null) schema["description"] = p.Description;
            if (p.IsSecret) schema["default"] = "Secrets come from the environment: do not commit them here.";
            properties[p.MemberName] = schema;
        }
        properties["Target"] = new JsonObject
        {
            ["type"] = "array",
            ["description"] = "Targets to run.",
            ["items"] = new JsonObject { ["type"] = "string", ["enum"] = targetNames.DeepClone() },
        };
        var root = new JsonObject
        {
            ["$schema"] = "http://json-schema.org/draft-07/schema#",
            ["title"] = "Build parameters (.nuke/parameters.json)",
            ["type"] = "object",
            ["additionalProperties"] = false,
            ["properties"] = properties,
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static JsonObject TypeSchema(Type type, JsonArray? itemEnum)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsArray)
        {
            var items = TypeSchema(type.GetElementType()!, null);
            if (itemEnum is not null) items["enum"] = itemEnum.DeepClone();
            return new JsonObject { ["type"] = "array", ["items"] = items };
        }
        if (type.IsEnum)
            return new JsonObject { ["type"] = "string", ["enum"] = new JsonArray(Enum.GetNames(type).Select(n => (JsonNode)JsonValue.Create(ParameterDiscovery.KebabCase(n))!).ToArray()) };
        return new JsonObject
        {
            ["type"] = type == typeof(bool) ? "boolean" : type == typeof(int) ? "integer" : type == typeof(double) ? "number" : "string",
        };
    }
}
