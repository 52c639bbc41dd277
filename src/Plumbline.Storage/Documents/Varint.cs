using System.Buffers;

namespace Plumbline.Storage.Documents;

/// <summary>LEB128 variable-length integers, with zigzag for signed values.</summary>
internal static class Varint
{
    public static void Write(ArrayBufferWriter<byte> output, ulong value)
    {
        var span = output.GetSpan(10);
        var n = 0;
        while (value >= 0x80)
        {
            span[n++] = unchecked((byte)(value | 0x80));
            value >>= 7;
        }

        span[n++] = unchecked((byte)value);
        output.Advance(n);
    }

    public static void WriteSigned(ArrayBufferWriter<byte> output, long value) =>
        Write(output, unchecked((ulong)((value << 1) ^ (value >> 63))));

    public static ulong Read(ReadOnlySpan<byte> input, ref int offset)
    {
        ulong value = 0;
        var shift = 0;
        while (true)
        {
            if (offset >= input.Length || shift > 63)
            {
                throw new InvalidDataException("truncated or overlong varint in a stored chunk");
            }

            var b = input[offset++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }

            shift += 7;
        }
    }

    public static long ReadSigned(ReadOnlySpan<byte> input, ref int offset)
    {
        var raw = Read(input, ref offset);
        return unchecked((long)(raw >> 1) ^ -(long)(raw & 1));
    }

    public static int ReadInt(ReadOnlySpan<byte> input, ref int offset) => checked((int)Read(input, ref offset));
}
