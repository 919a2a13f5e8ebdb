using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Microsoft.Kiota.Abstractions.Serialization;

namespace DeviceCommands.Client.Serialization;

/// <summary>
/// Reads a JSON number into the smallest .NET number that holds it exactly (int, long, decimal, double), else keeps its
/// text (<see cref="UntypedJsonNumber"/>). "Exactly" means the value written back is the same number as the text read,
/// compared digit by digit, so nothing is rounded, cut or made infinite on the way through.
/// </summary>
internal static class JsonNumberText
{
    /// <summary>Plain decimal text this short (sign and point included) has at most 27 digits: decimal holds it exactly.</summary>
    private const int ShortDecimal = 28;

    /// <summary>A number as an untyped node.</summary>
    public static UntypedNode Node(JsonElement value) => Plain(value) switch
    {
        int i => new UntypedInteger(i),
        long l => new UntypedLong(l),
        decimal d => new UntypedDecimal(d),
        double d => new UntypedDouble(d),
        var other => (UntypedJsonNumber)other,
    };

    /// <summary>A number as a plain value: int, long, decimal, double or, when none is exact, an <see cref="UntypedJsonNumber"/>.</summary>
    public static object Plain(JsonElement value)
    {
        if (value.TryGetInt32(out var i))
        {
            if (i != 0)
            {
                return i;
            }

            // a negative zero keeps its sign as text: no integer writes it back (the text is read only for a zero)
            var zeroText = value.GetRawText();
            return zeroText[0] == '-' ? new UntypedJsonNumber(zeroText) : i;
        }

        if (value.TryGetInt64(out var l))
        {
            return l;
        }

        var raw = value.GetRawText();
        if (raw[0] == '-' && value.TryGetDouble(out var zero) && zero == 0)
        {
            // -0.0, -0e5: a negative zero keeps its sign as text, as -0 does
            return new UntypedJsonNumber(raw);
        }

        var exponent = raw.AsSpan().IndexOfAny('e', 'E') >= 0;
        if (!exponent && value.TryGetDecimal(out var d)
            && (raw.Length <= ShortDecimal || Same(raw, d.ToString(CultureInfo.InvariantCulture))))
        {
            return d;
        }

        return value.TryGetDouble(out var x) && double.IsFinite(x) && Same(raw, x.ToString("R", CultureInfo.InvariantCulture))
            ? x
            : new UntypedJsonNumber(raw);
    }

    /// <summary>Whether <paramref name="text"/> is one JSON number (RFC 8259's grammar, nothing around it).</summary>
    public static bool IsNumber(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var i = text[0] == '-' ? 1 : 0;
        var start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        if (i == start || (text[start] == '0' && i - start > 1))
        {
            return false;
        }

        if (i < text.Length && text[i] == '.')
        {
            var fraction = ++i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            if (i == fraction)
            {
                return false;
            }
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            if (i < text.Length && text[i] is '+' or '-')
            {
                i++;
            }

            var digits = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            if (i == digits)
            {
                return false;
            }
        }

        return i == text.Length;
    }

    /// <summary>Whether two number texts (JSON or .NET's invariant format) are the same number, to the last digit.</summary>
    public static bool Same(string a, string b) => Canonical(a) == Canonical(b);

    /// <summary>A number as sign, significant digits and exponent (<c>-1.50e2</c> is <c>-15e1</c>); every zero is <c>0</c>.</summary>
    private static (bool Negative, string Digits, BigInteger Exponent) Canonical(string text)
    {
        var negative = text.StartsWith('-');
        var body = text.AsSpan(negative || text.StartsWith('+') ? 1 : 0);
        var e = body.IndexOfAny('e', 'E');
        var exponent = e < 0 ? BigInteger.Zero : BigInteger.Parse(body[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var mantissa = e < 0 ? body : body[..e];
        var point = mantissa.IndexOf('.');
        if (point >= 0)
        {
            exponent -= mantissa.Length - point - 1;
            mantissa = string.Concat(mantissa[..point], mantissa[(point + 1)..]);
        }

        var digits = mantissa.TrimStart('0');
        var trimmed = digits.TrimEnd('0');
        if (trimmed.IsEmpty)
        {
            return (false, "0", BigInteger.Zero);
        }

        return (negative, trimmed.ToString(), exponent + (digits.Length - trimmed.Length));
    }
}
