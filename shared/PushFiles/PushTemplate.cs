using ContextPush.Wording;

namespace ContextPush.PushFiles;

/// <summary>
/// A push's card template (context.template): a Liquid file next to the push, parsed at load so a
/// syntax error is reported with its line. Its text travels in the delta, so the Assembler needs no
/// access to the push folder.
/// </summary>
public static class PushTemplate
{
    /// <summary>Adds the template's text as context:template_source, or answers why it cannot be used.</summary>
    public static (string Field, string Message)? Load(string file, Dictionary<string, string> settings)
    {
        if (settings.GetValueOrDefault("context:template") is not { } template)
        {
            return null;
        }

        var path = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".", template);
        if (!File.Exists(path))
        {
            return ("context.template", $"'{template}' not found next to the push file (looked for {path})");
        }

        var source = File.ReadAllText(path);
        try
        {
            CardTemplate.Parse(source, template);
        }
        catch (CardTemplateException e)
        {
            return ("context.template", e.Message);
        }

        settings["context:template_source"] = source;
        return null;
    }
}
