using System.Text.Encodings.Web;

namespace ContextPush.Wording;

/// <summary>
/// Fluid passes every output value (<c>{{ … }}</c>) through a <see cref="TextEncoder"/> and leaves the
/// template's own text alone: exactly "escape the data, keep the analyst's markup". Fluid calls
/// <see cref="Encode(string)"/>; the character-level members are only there to satisfy the base class.
/// </summary>
internal sealed class FormatEncoder(TextFormat format) : TextEncoder
{
    public override int MaxOutputCharactersPerInputCharacter => 6;

    public override string Encode(string value) => TextEscaping.Escape(format, value);

    public override void Encode(TextWriter output, string value, int startIndex, int characterCount) =>
        output.Write(Encode(value.Substring(startIndex, characterCount)));

    public override void Encode(TextWriter output, char[] value, int startIndex, int characterCount) =>
        output.Write(Encode(new string(value, startIndex, characterCount)));

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        var span = new ReadOnlySpan<char>(text, textLength);
        for (var i = 0; i < span.Length; i++)
        {
            if (WillEncode(span[i]))
            {
                return i;
            }
        }

        return -1;
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        var encoded = Encode(char.ConvertFromUtf32(unicodeScalar));
        if (encoded.Length > bufferLength)
        {
            numberOfCharactersWritten = 0;
            return false;
        }

        encoded.AsSpan().CopyTo(new Span<char>(buffer, bufferLength));
        numberOfCharactersWritten = encoded.Length;
        return true;
    }

    public override bool WillEncode(int unicodeScalar) =>
        unicodeScalar <= char.MaxValue && Encode(((char)unicodeScalar).ToString()).Length != 1;
}
