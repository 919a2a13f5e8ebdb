using Benchmarks.StockKiota;
using BenchmarkDotNet.Attributes;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace DeviceCommands.Client.Benchmarks;

/// <summary>
/// Where the request side of <see cref="EndToEndStatusBenchmarks"/> spends: the builder chain
/// (<c>client.Me.Devices[id].Commands[cid]</c>), the <see cref="RequestInformation"/>, and the URL that Kiota expands from the
/// URL template when the adapter reads <see cref="RequestInformation.URI"/>, beside the same URL built by concatenation.
/// </summary>
[MemoryDiagnoser]
public class RequestBuildingBenchmarks
{
    private const string DeviceId = "6841b3db-6e5a-4d4d-b2d0-4a1f5d1f9b3c";
    private const string CommandId = "0158355AD4D680CC4E2994CC009EFFD7337D1335FCA6ED266";
    private const string BaseUrl = "https://graph.microsoft.com/beta";

    private HttpClientRequestAdapter _adapter = null!;
    private DeviceCommandsClient _ours = null!;
    private StockKiotaClient _stock = null!;

    [GlobalSetup]
    public void Setup()
    {
        _adapter = new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: new HttpClient()) { BaseUrl = BaseUrl };
        _ours = new DeviceCommandsClient(_adapter);
        _stock = new StockKiotaClient(_adapter);
        var ours = OursUri();
        var stock = StockUri();
        var direct = DirectUri();
        Console.WriteLine($"// {nameof(RequestBuildingBenchmarks)}: ours {ours} | stock {stock} | direct {direct} | same: {ours == stock && stock == direct}");
    }

    [GlobalCleanup]
    public void Cleanup() => _adapter.Dispose();

    [Benchmark(Description = "stock: builder chain")]
    public object StockBuilders() => _stock.Me.Devices[DeviceId].Commands[CommandId];

    [Benchmark(Description = "ours: builder chain")]
    public object OursBuilders() => _ours.Me.Devices[DeviceId].Commands[CommandId];

    [Benchmark(Description = "stock: + ToGetRequestInformation")]
    public RequestInformation StockRequest() => _stock.Me.Devices[DeviceId].Commands[CommandId].ToGetRequestInformation();

    [Benchmark(Description = "ours: + ToGetRequestInformation")]
    public RequestInformation OursRequest() => _ours.Me.Devices[DeviceId].Commands[CommandId].ToGetRequestInformation();

    [Benchmark(Baseline = true, Description = "stock: + URI (template expansion)")]
    public Uri StockUri() => _stock.Me.Devices[DeviceId].Commands[CommandId].ToGetRequestInformation().URI;

    [Benchmark(Description = "ours: + URI (template expansion)")]
    public Uri OursUri() => _ours.Me.Devices[DeviceId].Commands[CommandId].ToGetRequestInformation().URI;

    [Benchmark(Description = "the URL by concatenation (no Kiota)")]
    public Uri DirectUri() => new($"{BaseUrl}/me/devices/{Uri.EscapeDataString(DeviceId)}/commands/{Uri.EscapeDataString(CommandId)}");
}
