using System.Numerics;
using DeviceCommands.Client.Serialization;
using Microsoft.Kiota.Abstractions.Serialization;

namespace DeviceCommands.Client.Tests.Serialization;

/// <summary>
/// <see cref="JsonPayload.FromValue"/> takes a real number of every .NET number type, as its documentation says
/// (<see cref="Half"/>, <see cref="Int128"/>, <see cref="UInt128"/>, <c>nint</c> and <c>nuint</c> included), and a value it
/// cannot write is refused with a message that lists what it takes.
/// </summary>
public sealed class JsonPayloadNumberTypesTests
{
    private static string Json(object value) => JsonPayload.ToJson(JsonPayload.FromValue(value)).GetRawText();

    public static TheoryData<object, string> Numbers => new()
    {
        { (Half)0.1, "0.1" },
        { (Half)(-2.5), "-2.5" },
        { Half.MaxValue, "65500" },
        { (Int128)42, "42" },
        { Int128.MinValue, "-170141183460469231731687303715884105728" },
        { (UInt128)7, "7" },
        { UInt128.MaxValue, "340282366920938463463374607431768211455" },
        { (nint)(-3), "-3" },
        { (nuint)3, "3" },
    };

    [Theory]
    [MemberData(nameof(Numbers))]
    public void Every_dotnet_number_type_is_written_as_a_json_number(object value, string json) =>
        Assert.Equal(json, Json(value));

    [Fact]
    public void A_half_is_written_as_the_shortest_text_that_reads_back_as_the_same_half()
    {
        for (var bits = (ushort)0; bits < 0x7C00; bits += 37)
        {
            var half = BitConverter.UInt16BitsToHalf(bits);
            Assert.Equal(half, (Half)double.Parse(Json(half), System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void Int128s_within_a_long_are_long_nodes_and_the_others_keep_every_digit()
    {
        Assert.Equal(long.MaxValue, Assert.IsType<UntypedLong>(JsonPayload.FromValue((Int128)long.MaxValue)).GetValue());
        Assert.Equal("9223372036854775808", Assert.IsType<UntypedJsonNumber>(JsonPayload.FromValue((Int128)long.MaxValue + 1)).GetValue());
    }

    [Theory]
    [InlineData(0x7C00)] // +infinity
    [InlineData(0xFC00)] // -infinity
    [InlineData(0x7E00)] // NaN
    public void A_half_that_is_not_finite_is_refused_as_json_has_no_such_number(int bits)
    {
        var e = Assert.Throws<ArgumentException>(() => JsonPayload.FromValue(BitConverter.UInt16BitsToHalf((ushort)bits)));
        Assert.Contains("has no JSON form (JSON has no infinity or NaN)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_with_no_json_form_is_refused_with_what_a_payload_value_may_be()
    {
        var e = Assert.Throws<ArgumentException>(() => JsonPayload.FromValue(new Complex(1, 2)));

        Assert.Equal("value", e.ParamName);
        Assert.StartsWith("A payload value of type System.Numerics.Complex has no JSON form here. A payload value is null, a string, a char, a bool, a real number of a .NET number type (sbyte to Int128 and UInt128, nint, nuint, Half, float, double, decimal, BigInteger)", e.Message, StringComparison.Ordinal);
    }
}
