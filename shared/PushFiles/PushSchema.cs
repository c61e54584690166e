using System.ComponentModel;
using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContextPush.Contracts;
using YamlDotNet.Serialization.NamingConventions;

namespace ContextPush.PushFiles;

/// <summary>
/// The JSON Schema of a push file, built from the types and the settings reader the loader itself
/// uses, so the schema editors check against cannot drift from what the Detector accepts.
/// <c>pushes/push.schema.json</c> is this output; a test keeps the two equal.
/// </summary>
public static class PushSchema
{
    public const string Id = "https://contextpush.dev/schemas/push.schema.json";

    /// <summary>Constraints the loader checks in code, said here again so an editor can check them too.</summary>
    private static readonly Dictionary<string, Action<JsonObject>> Refinements = new()
    {
        ["id"] = s => s["pattern"] = "^[a-z0-9][a-z0-9-]{0,62}$",
        ["key"] = s => s["minItems"] = 1,
        ["key[]"] = s => s["pattern"] = "^[a-z_][a-z0-9_]{0,62}$",
        ["changes"] = s => s["minItems"] = 1,
        ["changes[]"] = s => s["enum"] = Strings(Enum.GetNames<DeltaKind>().Select(n => n.ToLowerInvariant())),
        ["metrics"] = s => s["minItems"] = 1,
        ["timeout"] = s => s["pattern"] = DurationText.Pattern,
        ["first_run"] = s => s["enum"] = Strings(["baseline", "send"]),
        ["metrics[].name"] = s => s["pattern"] = "^[a-z_][a-z0-9_]{0,62}$",
        ["metrics[].tolerance"] = s => s["minimum"] = 0,
        ["metrics[].relative_tolerance"] = s => s["minimum"] = 0,
        ["metrics[].format"] = s => s["enum"] = Strings(MetricFormat.Styles),
        ["metrics[].decimals"] = s => { s["minimum"] = 0; s["maximum"] = 6; },
        ["metrics[].currency"] = s => s["pattern"] = "^[A-Za-z]{3}$",
    };

    private static readonly string[] Required = ["id", "cohort", "key", "metrics", "schedule"];

    public static JsonObject Build()
    {
        var schema = ObjectOf(typeof(PushFile), "");
        schema.Insert(0, "$schema", "https://json-schema.org/draft/2020-12/schema");
        schema.Insert(1, "$id", Id);
        schema.Insert(2, "title", "ContextPush push file");
        schema["required"] = Strings(Required);
        foreach (var (key, setting) in PushSettingsReader.Describe())
        {
            Place(schema, key.Split(':'), setting);
        }

        return schema;
    }

    /// <summary>The schema as the file in the repository holds it.</summary>
    public static string Text() => Build().ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";

    private static JsonObject ObjectOf(Type type, string path)
    {
        var properties = new JsonObject();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = UnderscoredNamingConvention.Instance.Apply(property.Name);
            var at = path.Length == 0 ? name : $"{path}.{name}";
            var schema = SchemaOf(property.PropertyType, at);
            if (property.GetCustomAttribute<DescriptionAttribute>() is { } description)
            {
                schema.Insert(0, "description", description.Description);
            }

            Refinements.GetValueOrDefault(at)?.Invoke(schema);
            properties[name] = schema;
        }

        return new JsonObject { ["type"] = "object", ["additionalProperties"] = false, ["properties"] = properties };
    }

    private static JsonObject SchemaOf(Type type, string path)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return new JsonObject { ["type"] = "string" };
        }

        if (type == typeof(int))
        {
            return new JsonObject { ["type"] = "integer" };
        }

        if (type == typeof(decimal))
        {
            return new JsonObject { ["type"] = "number" };
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            var items = SchemaOf(type.GetGenericArguments()[0], path + "[]");
            Refinements.GetValueOrDefault(path + "[]")?.Invoke(items);
            return new JsonObject { ["type"] = "array", ["items"] = items };
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            // A settings section: its fields come from the settings reader.
            return new JsonObject { ["type"] = "object", ["additionalProperties"] = false, ["properties"] = new JsonObject() };
        }

        return ObjectOf(type, path);
    }

    private static void Place(JsonObject root, string[] path, JsonObject setting)
    {
        var node = root;
        for (var i = 0; i < path.Length - 1; i++)
        {
            var properties = node["properties"]!.AsObject();
            if (properties[path[i]] is not JsonObject next)
            {
                next = new JsonObject { ["type"] = "object", ["additionalProperties"] = false, ["properties"] = new JsonObject() };
                properties[path[i]] = next;
            }

            node = next;
        }

        node["properties"]!.AsObject()[path[^1]] = setting;
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);
}
