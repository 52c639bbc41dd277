using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Plumbline.Core.Text;

namespace Plumbline.Core.Capture.Traces;

/// <summary>
/// Reads <c>{startContent, endContent, txns: [{time, patches: [[pos, del, ins], ...]}]}</c>, plain or gzip,
/// with positions in code points. Errors name the file and the JSON path.
/// </summary>
public static class EditingTraceReader
{
    private static readonly string[] AsciiStrings = Enumerable.Range(0, 128).Select(c => ((char)c).ToString()).ToArray();

    /// <summary>Decompresses gzip input (detected by its magic bytes) and returns the raw JSON bytes.</summary>
    public static byte[] Unwrap(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length < 2 || bytes[0] != 0x1F || bytes[1] != 0x8B)
        {
            return bytes;
        }

        using var input = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var output = new MemoryStream(bytes.Length * 8);
        input.CopyTo(output);

        // GZipStream does not notice a file cut short; the trailer's ISIZE (length mod 2^32) does.
        var trailerSize = bytes.Length >= 18 ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4)) : uint.MaxValue;
        if (trailerSize != unchecked((uint)output.Length))
        {
            throw new InvalidDataException($"truncated or corrupt: it decompresses to {output.Length} bytes, its trailer says {trailerSize}");
        }

        return output.ToArray();
    }

    /// <summary>Parses a trace. <paramref name="fileName"/> names the input in messages; <paramref name="fallbackTime"/> is used for transactions without a time.</summary>
    public static EditingTrace Parse(byte[] bytes, string fileName, long fallbackTime)
    {
        byte[] json;
        try
        {
            json = Unwrap(bytes);
        }
        catch (InvalidDataException e)
        {
            throw PlumblineException.BadInput($"{fileName}: not a valid gzip file ({e.Message})");
        }

        var parser = new Parser(json, fileName, fallbackTime);
        try
        {
            return parser.ParseRoot();
        }
        catch (JsonException e)
        {
            throw InputErrors.MalformedJson(fileName, e);
        }
    }


    private ref struct Parser
    {
        private readonly string _file;
        private readonly long _fallbackTime;
        private readonly byte[] _json;
        private Utf8JsonReader _reader;

        public Parser(byte[] json, string file, long fallbackTime)
        {
            _file = file;
            _fallbackTime = fallbackTime;
            _json = json;
            _reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        }

        public EditingTrace ParseRoot()
        {
            Read("$");
            Expect(JsonTokenType.StartObject, "$", "an object");
            string? start = null;
            string? end = null;
            List<EditTransaction>? txns = null;
            while (Read("$") && _reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = _reader.GetString()!;
                var path = "$." + name;
                Read(path);
                switch (name)
                {
                    case "startContent":
                        start = ReadString(path);
                        break;
                    case "endContent":
                        end = ReadString(path);
                        break;
                    case "txns":
                        txns = ReadTransactions(path);
                        break;
                    default:
                        _reader.Skip();
                        break;
                }
            }

            if (txns is null)
            {
                throw Bad("$.txns", "missing (expected an array of transactions)");
            }

            return new EditingTrace(start ?? "", end, txns);
        }

        private List<EditTransaction> ReadTransactions(string path)
        {
            Expect(JsonTokenType.StartArray, path, "an array");
            var txns = new List<EditTransaction>();
            var patches = new List<Patch>(4);
            while (Read(path) && _reader.TokenType != JsonTokenType.EndArray)
            {
                var txnPath = $"{path}[{txns.Count}]";
                Expect(JsonTokenType.StartObject, txnPath, "an object");
                long? time = null;
                var sawPatches = false;
                patches.Clear();
                while (Read(txnPath) && _reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = _reader.GetString()!;
                    Read(txnPath);
                    switch (name)
                    {
                        case "time":
                            time = ReadTime(txnPath + ".time");
                            break;
                        case "patches":
                            sawPatches = true;
                            ReadPatches(txnPath + ".patches", patches);
                            break;
                        default:
                            _reader.Skip();
                            break;
                    }
                }

                if (!sawPatches)
                {
                    throw Bad(txnPath + ".patches", "missing (expected an array of [position, deleteCount, insertText])");
                }

                txns.Add(new EditTransaction(time ?? _fallbackTime, patches.ToArray()));
            }

            return txns;
        }

        private void ReadPatches(string path, List<Patch> patches)
        {
            Expect(JsonTokenType.StartArray, path, "an array");
            while (Read(path) && _reader.TokenType != JsonTokenType.EndArray)
            {
                var patchPath = $"{path}[{patches.Count}]";
                Expect(JsonTokenType.StartArray, patchPath, "an array [position, deleteCount, insertText]");
                Read(patchPath);
                var position = ReadCount(patchPath + "[0]", "position");
                Read(patchPath);
                var delete = ReadCount(patchPath + "[1]", "delete count");
                Read(patchPath);
                if (_reader.TokenType != JsonTokenType.String)
                {
                    throw Bad(patchPath + "[2]", $"expected the inserted text as a string, found {Describe()}");
                }

                var insert = ReadInsert(patchPath + "[2]");
                Read(patchPath);
                if (_reader.TokenType != JsonTokenType.EndArray)
                {
                    throw Bad(patchPath, "expected exactly three elements [position, deleteCount, insertText]");
                }

                patches.Add(new Patch(position, delete, insert));
            }
        }

        private string ReadInsert(string path)
        {
            if (!_reader.ValueIsEscaped && _reader.ValueSpan.Length == 1 && _reader.ValueSpan[0] < 128)
            {
                return AsciiStrings[_reader.ValueSpan[0]];
            }

            return GetString(path);
        }

        private readonly string GetString(string path)
        {
            try
            {
                return _reader.GetString()!;
            }
            catch (InvalidOperationException)
            {
                throw Bad(path, "the string is not valid Unicode (an unpaired surrogate escape such as \\ud800)");
            }
        }

        private int ReadCount(string path, string what)
        {
            if (_reader.TokenType != JsonTokenType.Number || !_reader.TryGetInt32(out var value) || value < 0)
            {
                throw Bad(path, $"expected the {what} as a non-negative integer, found {Describe()}");
            }

            return value;
        }

        private long? ReadTime(string path)
        {
            switch (_reader.TokenType)
            {
                case JsonTokenType.Null:
                    return null;
                case JsonTokenType.Number when _reader.TryGetInt64(out var ms):
                    return ms;
                case JsonTokenType.String:
                    var text = _reader.GetString()!;
                    if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
                    {
                        return time.ToUnixTimeMilliseconds();
                    }

                    throw Bad(path, $"'{text}' is not an ISO 8601 time");
                default:
                    throw Bad(path, $"expected an ISO 8601 time or milliseconds since 1970, found {Describe()}");
            }
        }

        private string ReadString(string path)
        {
            if (_reader.TokenType != JsonTokenType.String)
            {
                throw Bad(path, $"expected a string, found {Describe()}");
            }

            return GetString(path);
        }

        private bool Read(string path)
        {
            if (!_reader.Read())
            {
                throw Bad(path, "the file ends early");
            }

            return true;
        }

        private readonly void Expect(JsonTokenType type, string path, string what)
        {
            if (_reader.TokenType != type)
            {
                throw Bad(path, $"expected {what}, found {Describe()}");
            }
        }

        private readonly string Describe() => _reader.TokenType switch
        {
            JsonTokenType.String => "a string",
            JsonTokenType.Number => $"the number {System.Text.Encoding.UTF8.GetString(_reader.ValueSpan)}",
            JsonTokenType.True or JsonTokenType.False => "a boolean",
            JsonTokenType.Null => "null",
            JsonTokenType.StartObject => "an object",
            JsonTokenType.StartArray => "an array",
            JsonTokenType.EndArray => "the end of the array",
            JsonTokenType.EndObject => "the end of the object",
            _ => _reader.TokenType.ToString(),
        };

        private readonly PlumblineException Bad(string path, string message) =>
            PlumblineException.BadInput($"{_file}: line {LineOf()}: {path}: {message}");

        private readonly int LineOf()
        {
            var upTo = (int)Math.Min(_reader.TokenStartIndex, _json.Length);
            return _json.AsSpan(0, upTo).Count((byte)'\n') + 1;
        }
    }
}
