using System.Text.Json;
using CsCheck;
using DeviceCommands.Client.Models;
using DeviceCommands.Client.Serialization;
using DeviceCommands.Client.Tests.TestSupport;
using Microsoft.Kiota.Abstractions.Serialization;

namespace DeviceCommands.Client.Tests.Serialization;

/// <summary>
/// The README's promise that a payload "round-trips exactly both ways", over random numbers: huge and tiny exponents,
/// more digits than decimal or double keep, plain integers and decimals. Read then written, and written then read, every
/// number is the same number to its last digit (<see cref="JsonElement.DeepEquals"/> compares numbers by their digits).
/// </summary>
public class NumberRoundTripPropertyTests
{
    private const string Seed = "n7Rq2Xw9Lk4P";
    private const int Iterations = 400;

    private static readonly Gen<string> Digits = Gen.Char['0', '9'].Array[1, 45].Select(c => new string(c));

    /// <summary>A JSON number: a sign, an integer part without leading zeros, maybe a fraction, maybe an exponent.</summary>
    private static readonly Gen<string> Numbers = Gen.Select(
        Gen.Bool,
        Digits.Select(d => d.TrimStart('0') is { Length: > 0 } t ? t : "0"),
        Gen.Frequency((1, Gen.Const("")), (2, Digits.Select(d => "." + d))),
        Gen.Frequency((1, Gen.Const("")), (2, Gen.Select(Gen.Int[0, 4].Select(i => new[] { "e", "E", "e+", "E-", "e-" }[i]), Gen.Int[0, 2000]).Select((e, n) => e + n))),
        (negative, whole, fraction, exponent) => (negative ? "-" : "") + whole + fraction + exponent);

    [Fact]
    public Task A_number_read_from_JSON_is_written_back_as_the_same_number() =>
        Numbers.SampleDeterministicAsync(
            number =>
            {
                var json = $$"""{"n":{{number}},"list":[{{number}}]}""";
                using var document = JsonDocument.Parse(json);

                var written = JsonPayload.ToJson(JsonPayload.FromJson(document.RootElement));

                Assert.True(JsonElement.DeepEquals(document.RootElement, written), $"{json} came back as {written.GetRawText()}");
                Assert.Equal(written.GetRawText(), JsonPayload.ToJson(JsonPayload.FromJson(written)).GetRawText());
                return Task.CompletedTask;
            },
            seed: Seed,
            iter: Iterations);

    [Fact]
    public Task A_number_sent_in_a_command_is_read_back_as_the_same_number() =>
        Numbers.SampleDeterministicAsync(
            number =>
            {
                var sent = new Command { Id = "1", Payload = new UntypedObject(new Dictionary<string, UntypedNode> { ["n"] = new UntypedJsonNumber(number) }) };
                var wire = Json.Write(sent);

                using var expected = JsonDocument.Parse($$"""{"n":{{number}}}""");
                using var document = JsonDocument.Parse(wire);
                var read = JsonPayload.FromJson(document.RootElement.GetProperty("payload"));

                Assert.True(JsonElement.DeepEquals(expected.RootElement, JsonPayload.ToJson(read)), $"{number} was sent as {wire}");
                return Task.CompletedTask;
            },
            seed: Seed,
            iter: Iterations);
}
