using System.Net;
using CsCheck;
using DeviceCommands.Client.Models;
using DeviceCommands.Client.Tests.TestSupport;
using Microsoft.Kiota.Abstractions.Serialization;

namespace DeviceCommands.Client.Tests.Serialization;

/// <summary>
/// Write-then-read round trips of every model with generated values (strings with "null", unicode and control
/// characters; any payload): written with Kiota's <c>JsonSerializationWriter</c>, read back with the stock
/// <c>JsonParseNode</c> and through both kinds of client; every value comes back (a "null" string as null).
/// </summary>
public class ModelRoundTripPropertyTests
{
    private const string Seed = "3vWq8Lr1ZmT0";
    private const int Iterations = 150;

    private static readonly Gen<string?> Text = Gen.Frequency((1, Gen.Const((string?)null)), (4, HostileJson.ValidText.Select(s => (string?)s)));

    private static readonly Gen<UntypedNode> Untyped = Gen.Recursive<UntypedNode>((depth, self) =>
    {
        var scalar = Gen.OneOf<UntypedNode>(
            HostileJson.ValidText.Select(s => (UntypedNode)new UntypedString(s)),
            Gen.Int.Select(i => (UntypedNode)new UntypedInteger(i)),
            Gen.Long.Select(l => (UntypedNode)new UntypedLong(l)),
            Gen.Bool.Select(b => (UntypedNode)new UntypedBoolean(b)),
            // Kiota's stock untyped reader types a number as int, long, decimal, then float: beyond decimal's range or
            // precision it loses digits (1e300 reads as float infinity, 1e-300 as 0), so doubles stay where it is exact
            Gen.Int.Select(i => (UntypedNode)new UntypedDouble(i / 64.0)),
            Gen.Decimal.Select(d => (UntypedNode)new UntypedDecimal(d)),
            Gen.Const<UntypedNode>(new UntypedNull()));
        return depth >= 3 ? scalar : Gen.Frequency(
            (4, scalar),
            (1, self.List[0, 4].Select(items => (UntypedNode)new UntypedArray(items))),
            (1, Gen.Select(HostileJson.ValidText, self).Array[0, 4].Select(p => (UntypedNode)new UntypedObject(p.DistinctBy(x => x.Item1).ToDictionary(x => x.Item1, x => x.Item2)))));
    });

    // an unknown property whose value is the string "null" is, by the reading rules, absent: it is not written back
    private static Gen<Dictionary<string, object>> Unknown(params string[] known) =>
        Gen.Select(HostileJson.ValidText.Where(k => !known.Contains(k, StringComparer.OrdinalIgnoreCase)), Untyped.Where(u => u is not UntypedNull && !HasDateLikeText(u) && !(u is UntypedString { } t && t.GetValue() == "null")))
            .Array[0, 3].Select(p => p.DistinctBy(x => x.Item1).ToDictionary(x => x.Item1, x => (object)x.Item2));

    private static readonly Gen<PayloadResponse> Payloads = Gen.Select(
        Text,
        Gen.DateTimeOffset.Select(d => (DateTimeOffset?)new DateTimeOffset(d.UtcDateTime.Year is > 1 and < 9999 ? d.UtcDateTime : DateTime.UnixEpoch, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(d.Offset.TotalMinutes % 600))),
        Gen.Int.Select(i => (int?)i),
        Unknown("type", "creationDate", "msIgnoredParameter", "value"),
        (type, date, ignored, extra) => new PayloadResponse { Type = type, CreationDate = date, MsIgnoredParameter = ignored, AdditionalData = extra });

    private static readonly Gen<Command> Commands = Gen.Select(
        Gen.Select(Text, Text, Text, Text),
        Gen.Select(Text, Text, Text),
        Gen.Select(Gen.Enum<ActionStatus>().Select(s => (ActionStatus?)s), Text, Gen.Int[0, 2]),
        Gen.Select(Payloads, Gen.Bool),
        Gen.Select(Untyped, Gen.Bool),
        Unknown("id", "status", "type", "appServiceName", "packageFamilyName", "error", "permissionTicket", "postBackUri", "responsePayload", "payload", "value"),
        (a, b, status, response, payload, extra) => new Command
        {
            Id = a.Item1, Type = a.Item2, AppServiceName = a.Item3, PackageFamilyName = a.Item4,
            Error = b.Item1, PermissionTicket = b.Item2, PostBackUri = b.Item3,
            Status = status.Item3 == 0 ? status.Item1 : null, RawStatus = status.Item3 == 1 && !ActionStatusExtensions.TryParse(status.Item2, out _) ? status.Item2 : null, // a known one in another case is written in its wire case
            ResponsePayload = response.Item2 ? response.Item1 : null,
            Payload = payload.Item2 ? payload.Item1 : null,
            AdditionalData = extra,
        });

    private static readonly Gen<Device> Devices = Gen.Select(
        Gen.Select(Text, Text, Text, Text),
        Gen.Select(Text, Text, Text),
        Unknown("id", "name", "kind", "manufacturer", "model", "platform", "status", "value"),
        (a, b, extra) => new Device { Id = a.Item1, Name = a.Item2, Kind = a.Item3, Manufacturer = a.Item4, Model = b.Item1, Platform = b.Item2, Status = b.Item3, AdditionalData = extra });

    /// <summary>
    /// Kiota's stock node turns an unknown property's string that parses as a date or a GUID into a
    /// <see cref="DateTimeOffset"/>/<see cref="Guid"/> (written back in its own format): the value is kept, its text not.
    /// </summary>
    private static bool HasDateLikeText(UntypedNode node) => node switch
    {
        UntypedString s => DateTimeOffset.TryParse(s.GetValue(), System.Globalization.CultureInfo.InvariantCulture, out _) || Guid.TryParse(s.GetValue(), out _),
        UntypedArray a => a.GetValue().Any(HasDateLikeText),
        UntypedObject o => o.GetValue().Any(p => HasDateLikeText(p.Value)),
        _ => false,
    };

    private static string? N(string? s) => s == "null" ? null : s;

    /// <summary>Written, read with the stock node, written again: the same JSON; and read through both clients: the same JSON.</summary>
    private static async Task<T> RoundTrip<T>(T model, ParsableFactory<T> factory, Func<DeviceCommandsClient, Task<T?>> viaClient, ScriptedHandler handler, IReadOnlyList<(string Name, DeviceCommandsClient Client)> clients)
        where T : class, IParsable
    {
        var written = Json.Write(model);
        using var document = System.Text.Json.JsonDocument.Parse(written); // a stock node's untyped arrays are lazy over it
        var read = new Microsoft.Kiota.Serialization.Json.JsonParseNode(document.RootElement).GetObjectValue(factory);
        Assert.True(Json.SameJson(written, Json.Write(read)), $"{written}\n{Json.Write(read)}");
        handler.Respond = _ => ScriptedHandler.Json(HttpStatusCode.OK, System.Text.Encoding.UTF8.GetBytes(written));
        foreach (var (name, client) in clients)
        {
            var again = await viaClient(client);
            Assert.True(Json.SameJson(written, Json.Write(again!)), $"{name}: {written}\n{Json.Write(again!)}");
        }

        return read;
    }

    [Fact]
    public async Task Every_command_round_trips()
    {
        var handler = new ScriptedHandler();
        var clients = TestClients.Both(handler);
        await Commands.SampleDeterministicAsync(
            async command =>
            {
                var read = await RoundTrip(command, Command.CreateFromDiscriminatorValue, c => c.Me.Devices["d"].Commands["c"].GetAsync(), handler, clients);
                Assert.Equal(N(command.Id), read.Id);
                Assert.Equal(N(command.Type), read.Type);
                Assert.Equal(N(command.AppServiceName), read.AppServiceName);
                Assert.Equal(N(command.PackageFamilyName), read.PackageFamilyName);
                Assert.Equal(N(command.Error), read.Error);
                Assert.Equal(N(command.PermissionTicket), read.PermissionTicket);
                Assert.Equal(N(command.PostBackUri), read.PostBackUri);
                var raw = command.Status?.ToWireValue() ?? N(command.RawStatus);
                Assert.Equal(raw, read.RawStatus);
                Assert.Equal(ActionStatusExtensions.TryParse(raw, out var s) ? s : null, read.Status);
                Assert.Equal(command.ResponsePayload?.CreationDate, read.ResponsePayload?.CreationDate);
                Assert.Equal(command.ResponsePayload?.MsIgnoredParameter, read.ResponsePayload?.MsIgnoredParameter);
                Assert.Equal(command.Payload is null or UntypedNull || command.Payload is UntypedString { } p && p.GetValue() == "null", read.Payload is null);
                Assert.Equal(command.AdditionalData.Keys.Order(), read.AdditionalData.Keys.Order());
            },
            seed: Seed,
            iter: Iterations,
            threads: 1);
    }

    [Fact]
    public async Task Every_payload_response_round_trips()
    {
        var handler = new ScriptedHandler();
        var clients = TestClients.Both(handler);
        await Payloads.SampleDeterministicAsync(
            async payload =>
            {
                var read = await RoundTrip(payload, PayloadResponse.CreateFromDiscriminatorValue, c => c.Me.Devices["d"].Commands["c"].ResponsePayload.GetAsync(), handler, clients);
                Assert.Equal(N(payload.Type), read.Type);
                Assert.Equal(payload.CreationDate, read.CreationDate);
                Assert.Equal(payload.MsIgnoredParameter, read.MsIgnoredParameter);
            },
            seed: Seed,
            iter: Iterations,
            threads: 1);
    }

    [Fact]
    public async Task Every_device_list_and_error_round_trips()
    {
        var handler = new ScriptedHandler();
        var clients = TestClients.Both(handler);
        await Gen.Select(Devices.List[0, 3], Text, Text, Text).SampleDeterministicAsync(
            async (devices, link, code, message) =>
            {
                var list = new DeviceCollectionResponse { Value = devices, OdataNextLink = link };
                var read = await RoundTrip(list, DeviceCollectionResponse.CreateFromDiscriminatorValue, c => c.Me.Devices.GetAsync(), handler, clients);
                Assert.Equal(N(link), read.OdataNextLink);
                Assert.Equal(devices.Select(d => (N(d.Id), N(d.Name), N(d.Kind), N(d.Manufacturer), N(d.Model), N(d.Platform), N(d.Status))),
                    read.Value!.Select(d => (d.Id, d.Name, d.Kind, d.Manufacturer, d.Model, d.Platform, d.Status)));

                var error = Json.Read(Json.Write(new ODataError { Error = new MainError { Code = code, Message = message } }), ODataError.CreateFromDiscriminatorValue);
                Assert.Equal((N(code), N(message)), (error.Error?.Code, error.Error?.Message));
            },
            seed: Seed,
            iter: Iterations,
            threads: 1);
    }
}
