using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ContextPush.PushFiles;

/// <summary>
/// Finds the line of a field in a push file ("throttle.priority.mode", "metrics[1].name"), so an
/// error points where an editor can jump. The nearest existing parent answers for a missing field.
/// </summary>
public static partial class YamlLines
{
    public static int? LineOf(string yaml, string field)
    {
        if (LineField().Match(field) is { Success: true } given)
        {
            return int.Parse(given.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        }

        YamlNode node;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.Count == 0)
            {
                return null;
            }

            node = stream.Documents[0].RootNode;
        }
        catch (YamlException)
        {
            return null;
        }

        int? line = null;
        foreach (var step in Steps().Matches(field).Select(m => m.Value))
        {
            YamlNode? next = (node, step) switch
            {
                (YamlSequenceNode list, _) when step.StartsWith('[') && int.TryParse(step.Trim('[', ']'), out var i) && i < list.Children.Count => list.Children[i],
                (YamlMappingNode map, _) => map.Children.FirstOrDefault(c => c.Key is YamlScalarNode k && k.Value == step) is { Key: not null } entry
                    ? Remember(entry.Key, entry.Value, ref line)
                    : null,
                _ => null,
            };
            if (next is null)
            {
                break;
            }

            if (step.StartsWith('['))
            {
                line = (int)next.Start.Line;
            }

            node = next;
        }

        return line;
    }

    private static YamlNode Remember(YamlNode key, YamlNode value, ref int? line)
    {
        line = (int)key.Start.Line;
        return value;
    }

    [GeneratedRegex(@"[^.\[\]]+|\[\d+\]")]
    private static partial Regex Steps();

    [GeneratedRegex(@"^line (\d+)$")]
    private static partial Regex LineField();
}
