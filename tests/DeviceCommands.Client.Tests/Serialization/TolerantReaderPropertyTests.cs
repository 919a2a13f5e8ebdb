using System.Diagnostics;
using System.Net;
using System.Text;
using CsCheck;
using DeviceCommands.Client.Models;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.Client.Tests.Serialization;

/// <summary>
/// Generated hostile bodies through both a stock Kiota adapter and a client from <c>Create</c>: every read returns a
/// model or throws an <see cref="ApiException"/> (an <see cref="ODataError"/> for an error status), in bounded time.
/// Seeds are fixed, so a failure is repeatable; the counts keep the class to a few seconds.
/// </summary>
public class TolerantReaderPropertyTests
{
    private const string Seed = "0N0XIzNsQ0O2";
    private static readonly TimeSpan ReadBound = TimeSpan.FromSeconds(5);

    private static readonly string[] CommandNames = ["id", "status", "type", "appServiceName", "packageFamilyName", "error", "permissionTicket", "postBackUri", "responsePayload", "payload", "value"];
    private static readonly string[] PayloadNames = ["type", "creationDate", "msIgnoredParameter", "value"];
    private static readonly string[] DeviceNames = ["id", "name", "kind", "manufacturer", "model", "platform", "status", "value"];

    /// <summary>A device list: "value" an array of generated devices, or any value; "@odata.nextLink" anything.</summary>
    private static readonly Gen<string> DeviceListBody = Gen.Select(
        HostileJson.Body(DeviceNames).Array[0, 4].Select(a => "[" + string.Join(",", a) + "]"),
        HostileJson.Value,
        HostileJson.Value,
        Gen.Int[0, 3],
        (devices, other, link, shape) => shape switch
        {
            0 => "{\"value\":" + other + ",\"@odata.nextLink\":" + link + "}",
            1 => "{\"VALUE\":" + devices + "}",
            _ => "{\"value\":" + devices + ",\"@odata.nextLink\":" + link + "}",
        });

    public static TheoryData<string> Endpoints => new("command", "post", "payload", "devices");

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Any_json_value_in_any_property_reads_or_throws_ApiException_in_bounded_time(string endpoint)
    {
        var handler = new ScriptedHandler();
        var clients = TestClients.Both(handler);
        var times = new List<TimeSpan>();
        var gen = endpoint switch
        {
            "command" or "post" => HostileJson.Body(CommandNames),
            "payload" => HostileJson.Body(PayloadNames),
            _ => DeviceListBody,
        };

        await gen.SampleDeterministicAsync(
            async body =>
            {
                handler.Respond = _ => ScriptedHandler.Json(HttpStatusCode.OK, Encoding.UTF8.GetBytes(body));
                foreach (var (_, client) in clients)
                {
                    var watch = Stopwatch.StartNew();
                    object? model = endpoint switch
                    {
                        "command" => await client.Me.Devices["d"].Commands["c"].GetAsync(),
                        "post" => await client.Me.Devices["d"].Commands.PostAsync(Command.LaunchUri(new Uri("https://example.com"))),
                        "payload" => await client.Me.Devices["d"].Commands["c"].ResponsePayload.GetAsync(),
                        _ => await client.Me.Devices.GetAsync(),
                    };
                    Assert.NotNull(model); // a JSON object always reads as a model
                    times.Add(watch.Elapsed);
                }
            },
            seed: Seed,
            iter: 250,
            threads: 1);

        Assert.Equal(500, times.Count);
        Assert.All(times, t => Assert.True(t < ReadBound, $"a read took {t}"));
    }

    [Fact]
    public async Task Any_body_with_any_error_status_is_an_ODataError_with_that_status()
    {
        var handler = new ScriptedHandler();
        var clients = TestClients.Both(handler);
        var bodies = Gen.Frequency(
            (3, HostileJson.Body("error", "code", "message", "innerError")),
            (2, Gen.Select(HostileJson.Body("code", "message", "innerError"), b => "{\"error\":" + b + "}")),
            (1, HostileJson.Value),
            (1, Gen.Byte.Array[0, 64].Select(b => Encoding.Latin1.GetString(b))));

        await Gen.Select(bodies, Gen.Int[300, 599]).SampleDeterministicAsync(
            async (body, status) =>
            {
                handler.Respond = _ => ScriptedHandler.Json((HttpStatusCode)status, Encoding.UTF8.GetBytes(body));
                foreach (var (_, client) in clients)
                {
                    var error = await Assert.ThrowsAsync<ODataError>(() => client.Me.Devices["d"].Commands["c"].GetAsync());
                    Assert.Equal(status, error.ResponseStatusCode);
                }
            },
            seed: Seed,
            iter: 250,
            threads: 1);
    }

    [Fact]
    public async Task A_string_in_any_string_property_reads_exactly_and_an_unknown_property_is_kept()
    {
        var handler = new ScriptedHandler();
        var clients = TestClients.Both(handler);
        string[] strings = ["id", "type", "appServiceName", "packageFamilyName", "error", "permissionTicket", "postBackUri"];
        var gen = Gen.Select(HostileJson.Name(strings).Where(n => strings.Contains(n, StringComparer.OrdinalIgnoreCase)), HostileJson.ValidText, HostileJson.ValidText.Where(n => !CommandNames.Contains(n, StringComparer.OrdinalIgnoreCase)), HostileJson.Value);

        await gen.SampleDeterministicAsync(
            async (name, text, unknown, value) =>
            {
                var body = HostileJson.Object([(name, HostileJson.Quote(text)), (unknown, value)]);
                handler.Respond = _ => ScriptedHandler.Json(HttpStatusCode.OK, Encoding.UTF8.GetBytes(body));
                foreach (var (_, client) in clients)
                {
                    var command = (await client.Me.Devices["d"].Commands["c"].GetAsync())!;
                    var read = name.ToUpperInvariant() switch
                    {
                        "ID" => command.Id,
                        "TYPE" => command.Type,
                        "APPSERVICENAME" => command.AppServiceName,
                        "PACKAGEFAMILYNAME" => command.PackageFamilyName,
                        "ERROR" => command.Error,
                        "PERMISSIONTICKET" => command.PermissionTicket,
                        _ => command.PostBackUri,
                    };
                    Assert.Equal(text == "null" ? null : text, read);
                    if (value != "null" && !HostileJson.IsUndecodableString(value))
                    {
                        Assert.True(command.AdditionalData.ContainsKey(unknown), $"{unknown} was not kept");
                    }
                    else if (value != "null")
                    {
                        Assert.False(command.AdditionalData.ContainsKey(unknown), $"{unknown}, a string that cannot be decoded, was kept");
                    }
                }
            },
            seed: Seed,
            iter: 250,
            threads: 1);
    }
}
