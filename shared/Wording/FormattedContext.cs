using ContextPush.Contracts;

namespace ContextPush.Wording;

/// <summary>Reading an <see cref="AssembledContext"/>'s lines ready for one format.</summary>
public static class FormattedContext
{
    public static string Key(TextFormat format) => format.ToString().ToLowerInvariant();

    /// <summary>The template's lines for <paramref name="format"/>, or the plain lines escaped here when the Assembler sent none.</summary>
    public static IReadOnlyList<string> LinesFor(AssembledContext context, TextFormat format) =>
        context.FormattedLines?.GetValueOrDefault(Key(format))
        ?? context.Lines.Select(l => TextEscaping.Escape(format, l)).ToList();
}
