using System.Globalization;
using Google.Protobuf;

namespace ContextPush.AppHost.Telemetry;

/// <summary>
/// Reads an OTLP ExportTraceServiceRequest (opentelemetry/proto/collector/trace/v1) straight from
/// the protobuf wire format, field number by field number: only what the dashboard shows, and
/// every unknown field skipped, so newer exporters stay readable.
/// </summary>
public static class OtlpTraceDecoder
{
    public static List<TraceSpan> Decode(ReadOnlySpan<byte> body)
    {
        var spans = new List<TraceSpan>();
        var input = new CodedInputStream(body.ToArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == 1)
            {
                ReadResourceSpans(input.ReadBytes(), spans);
            }
            else
            {
                input.SkipLastField();
            }
        }

        return spans;
    }

    private static void ReadResourceSpans(ByteString bytes, List<TraceSpan> into)
    {
        var service = "unknown";
        var scopeSpans = new List<ByteString>();
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: // resource
                    var resource = ReadAttributes(input.ReadBytes(), attributesField: 1);
                    service = resource.GetValueOrDefault("service.name", service);
                    break;
                case 2: // scope_spans
                    scopeSpans.Add(input.ReadBytes());
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        foreach (var scope in scopeSpans)
        {
            var scopeInput = scope.CreateCodedInput();
            while ((tag = scopeInput.ReadTag()) != 0)
            {
                if (WireFormat.GetTagFieldNumber(tag) == 2)
                {
                    into.Add(ReadSpan(scopeInput.ReadBytes(), service));
                }
                else
                {
                    scopeInput.SkipLastField();
                }
            }
        }
    }

    private static TraceSpan ReadSpan(ByteString bytes, string service)
    {
        string traceId = "", spanId = "", name = "";
        string? parent = null, statusMessage = null;
        ulong start = 0, end = 0;
        var error = false;
        var attributes = new Dictionary<string, string>();
        var links = new List<string>();
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: traceId = Hex(input.ReadBytes()); break;
                case 2: spanId = Hex(input.ReadBytes()); break;
                case 4: parent = input.ReadBytes() is { Length: > 0 } p ? Hex(p) : null; break;
                case 5: name = input.ReadString(); break;
                case 7: start = input.ReadFixed64(); break;
                case 8: end = input.ReadFixed64(); break;
                case 9:
                    var (key, value) = ReadKeyValue(input.ReadBytes());
                    attributes[key] = value;
                    break;
                case 13: links.Add(ReadLinkTraceId(input.ReadBytes())); break;
                case 15: (error, statusMessage) = ReadStatus(input.ReadBytes()); break;
                default: input.SkipLastField(); break;
            }
        }

        return new TraceSpan(traceId, spanId, parent, name, service, FromNanos(start), FromNanos(end), attributes, error, statusMessage, links);
    }

    private static Dictionary<string, string> ReadAttributes(ByteString bytes, int attributesField)
    {
        var attributes = new Dictionary<string, string>();
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == attributesField)
            {
                var (key, value) = ReadKeyValue(input.ReadBytes());
                attributes[key] = value;
            }
            else
            {
                input.SkipLastField();
            }
        }

        return attributes;
    }

    /// <summary>KeyValue { key = 1; AnyValue value = 2 }, the value rendered as text.</summary>
    private static (string Key, string Value) ReadKeyValue(ByteString bytes)
    {
        string key = "", value = "";
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: key = input.ReadString(); break;
                case 2: value = ReadAnyValue(input.ReadBytes()); break;
                default: input.SkipLastField(); break;
            }
        }

        return (key, value);
    }

    /// <summary>AnyValue { string 1; bool 2; int64 3; double 4; array 5; kvlist 6; bytes 7 }.</summary>
    private static string ReadAnyValue(ByteString bytes)
    {
        var input = bytes.CreateCodedInput();
        var tag = input.ReadTag();
        return WireFormat.GetTagFieldNumber(tag) switch
        {
            1 => input.ReadString(),
            2 => input.ReadBool() ? "true" : "false",
            3 => input.ReadInt64().ToString(CultureInfo.InvariantCulture),
            4 => input.ReadDouble().ToString(CultureInfo.InvariantCulture),
            7 => Hex(input.ReadBytes()),
            _ => "",
        };
    }

    private static string ReadLinkTraceId(ByteString bytes)
    {
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == 1)
            {
                return Hex(input.ReadBytes());
            }

            input.SkipLastField();
        }

        return "";
    }

    /// <summary>Status { message = 2; code = 3 } where code 2 is STATUS_CODE_ERROR.</summary>
    private static (bool Error, string? Message) ReadStatus(ByteString bytes)
    {
        string? message = null;
        var code = 0;
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 2: message = input.ReadString(); break;
                case 3: code = input.ReadEnum(); break;
                default: input.SkipLastField(); break;
            }
        }

        return (code == 2, message);
    }

    private static string Hex(ByteString bytes) => Convert.ToHexStringLower(bytes.Span);

    private static DateTimeOffset FromNanos(ulong nanos) => DateTimeOffset.UnixEpoch.AddTicks((long)(nanos / 100));
}
