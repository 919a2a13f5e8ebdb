using System.Globalization;
using System.Text;
using CsCheck;

namespace DeviceCommands.Client.Tests.Serialization;

/// <summary>CsCheck generators of hostile JSON text: any value, in any property, under any spelling of its name.</summary>
internal static class HostileJson
{
    /// <summary>Strings the service's quirks make interesting, and strings no service should send.</summary>
    private static readonly string[] Interesting =
    [
        "null", "NULL", "Null", "", " ", "requesting", "completed", "Completed", "queuedForLater", "04/27/2017", "13/45/2017",
        "date-time", "2017-04-27T10:00:00Z", "9999-12-31T23:59:59+14:00", "0001-01-01", "3", "-1", " 42 ", "1e40", "2147483648",
        "99999999999999999999999", "\u0000", "\r\n", "a\"b\\c", "%2F..%2E", "../..", "é中🚀", "\ud800", "\udfff", "true", "{}", "[]",
    ];

    public static readonly Gen<string> Text = Gen.Frequency(
        (3, Gen.OneOf(Interesting)),
        (3, Gen.String[Gen.Char, 0, 16]),
        (2, Gen.String[Gen.Char.AlphaNumeric, 0, 16]));

    /// <summary>Text that is valid UTF-16 (no lone surrogates), so that it has an exact JSON form.</summary>
    public static readonly Gen<string> ValidText = Text.Where(s => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(s)) == s);

    public static readonly Gen<string> Scalar = Gen.Frequency(
        (2, Gen.Const("null")),
        (1, Gen.OneOf("true", "false")),
        (2, Gen.Int.Select(i => i.ToString(CultureInfo.InvariantCulture))),
        (1, Gen.Long.Select(l => l.ToString(CultureInfo.InvariantCulture))),
        (1, Gen.Double.Where(double.IsFinite).Select(d => d.ToString("R", CultureInfo.InvariantCulture))),
        (1, Gen.OneOf("1e400", "-1e-400", "-0", "0.0", "1.5", "123456789012345678901234567890", "1E+308", "2147483648", "-2147483649")),
        (5, Text.Select(Quote)));

    /// <summary>Any JSON value, nested at most four levels.</summary>
    public static readonly Gen<string> Value = Gen.Recursive<string>((depth, self) => depth >= 4
        ? Scalar
        : Gen.Frequency(
            (6, Scalar),
            (1, self.Array[0, 4].Select(items => "[" + string.Join(",", items) + "]")),
            (1, Gen.Select(Text, self).Array[0, 4].Select(Object))));

    /// <summary>A known name in one of its spellings (as sent, lower, upper, Pascal), or any other name.</summary>
    public static Gen<string> Name(params string[] known) => Gen.Frequency(
        (4, Gen.Select(Gen.OneOf(known), Gen.Int[0, 3], Spell)),
        (1, Text));

    /// <summary>An object of 0 to 8 properties named from <paramref name="known"/> (or anything), each any value; sometimes wrapped in <c>{"value":…}</c>.</summary>
    public static Gen<string> Body(params string[] known) => Gen.Select(
        Gen.Select(Name(known), Value).Array[0, 8].Select(Object),
        Gen.Int[0, 5],
        (body, wrap) => wrap == 0 ? "{\"value\":" + body + "}" : body);

    public static string Object((string Name, string Value)[] properties) =>
        "{" + string.Join(",", properties.Select(p => Quote(p.Name) + ":" + p.Value)) + "}";

    /// <summary>A JSON string literal that escapes control characters, quotes and surrogates (lone ones included) as <c>\uXXXX</c>.</summary>
    public static string Quote(string s)
    {
        var builder = new StringBuilder(s.Length + 2).Append('"');
        foreach (var c in s)
        {
            if (c < 0x20 || c == '"' || c == '\\' || char.IsSurrogate(c))
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.Append('"').ToString();
    }

    private static string Spell(string name, int how) => how switch
    {
        1 => name.ToLowerInvariant(),
        2 => name.ToUpperInvariant(),
        3 => char.ToUpperInvariant(name[0]) + name[1..],
        _ => name,
    };
    /// <summary>Whether a JSON value is a string that .NET cannot decode (it escapes a lone surrogate): the reader drops it.</summary>
    public static bool IsUndecodableString(string json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != System.Text.Json.JsonValueKind.String)
        {
            return false;
        }

        try
        {
            _ = document.RootElement.GetString();
            return false;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }
}
