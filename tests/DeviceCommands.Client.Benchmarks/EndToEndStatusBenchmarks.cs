using System.Net.Http.Json;
using Benchmarks.StockKiota;
using DeviceCommands.TestSupport;
using BenchmarkDotNet.Attributes;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using StockModels = global::Benchmarks.StockKiota.Models;

namespace DeviceCommands.Client.Benchmarks;

/// <summary>
/// Issue 6, part 2: one <c>GET me/devices/{id}/commands/{id}</c> end to end, from the request builder to the model, over an
/// in-memory <see cref="HttpMessageHandler"/> that answers <c>200</c> with a fixed body (so transport cost is near zero and
/// what remains is the client's own work: URL building, middleware, the response handler and the model).
/// </summary>
[MemoryDiagnoser]
public class EndToEndStatusBenchmarks
{
    private const string DeviceId = "6841b3db-6e5a-4d4d-b2d0-4a1f5d1f9b3c";
    private const string CommandId = "0158355AD4D680CC4E2994CC009EFFD7337D1335FCA6ED266";
    private static readonly Uri BaseUrl = new("https://graph.microsoft.com/beta");

    private FixedResponseHandler _handler = null!;
    private DeviceCommandsClient _created = null!;
    private DeviceCommandsClient _oursOverKiotaAdapter = null!;
    private StockKiotaClient _stock = null!;
    private HttpClient _raw = null!;
    private HttpClientRequestAdapter _oursAdapter = null!;
    private HttpClientRequestAdapter _stockAdapter = null!;
    private DeviceCommandsClient _oursBare = null!;
    private StockKiotaClient _stockBare = null!;
    private HttpClientRequestAdapter _oursBareAdapter = null!;
    private HttpClientRequestAdapter _stockBareAdapter = null!;

    [ParamsSource(nameof(Bodies))]
    public Body Body { get; set; } = Body.NullStrings;

    public static IEnumerable<Body> Bodies => Body.Commands;

    [GlobalSetup]
    public void Setup()
    {
        _handler = new FixedResponseHandler(Body.Utf8);

        // Ours, batteries included: diagnostics, Polly retry, safe redirects, host guard over the in-memory transport.
        _created = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { HttpMessageHandler = _handler, BaseUrl = BaseUrl });

        // Ours and the stock client over the same stock adapter and Kiota's default middleware (KiotaClientFactory).
        _oursAdapter = new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: KiotaClientFactory.Create(_handler)) { BaseUrl = BaseUrl.AbsoluteUri.TrimEnd('/') };
        _oursOverKiotaAdapter = new DeviceCommandsClient(_oursAdapter);
        _stockAdapter = new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: KiotaClientFactory.Create(_handler)) { BaseUrl = BaseUrl.AbsoluteUri.TrimEnd('/') };
        _stock = new StockKiotaClient(_stockAdapter);

        // Both over a stock adapter whose HttpClient goes straight to the transport: what any Kiota client costs with no middleware.
        _oursBareAdapter = new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: new HttpClient(_handler, disposeHandler: false)) { BaseUrl = BaseUrl.AbsoluteUri.TrimEnd('/') };
        _oursBare = new DeviceCommandsClient(_oursBareAdapter);
        _stockBareAdapter = new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: new HttpClient(_handler, disposeHandler: false)) { BaseUrl = BaseUrl.AbsoluteUri.TrimEnd('/') };
        _stockBare = new StockKiotaClient(_stockBareAdapter);

        // The floor: HttpClient straight over the transport, System.Text.Json source generation.
        _raw = new HttpClient(_handler, disposeHandler: false);

        var check = Task.Run(async () =>
        {
            var created = await CreateClient();
            var plain = await OursOverKiotaAdapter();
            var stock = await StockKiota();
            var oursBare = await OursBareAdapter();
            var stockBare = await StockKiotaBareAdapter();
            var raw = await RawHttpClient();
            return $"create: {created?.Status} | ours over Kiota adapter: {plain?.Status} | stock: {stock?.Status?.ToString() ?? "null"}"
                + $" | ours bare: {oursBare?.Status} | stock bare: {stockBare?.Status?.ToString() ?? "null"} | raw: {(raw?.Value ?? raw)?.Status}";
        }).GetAwaiter().GetResult();
        Console.WriteLine($"// {nameof(EndToEndStatusBenchmarks)} [{Body}]: {check}");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _raw.Dispose();
        _oursAdapter.Dispose();
        _stockAdapter.Dispose();
        _oursBareAdapter.Dispose();
        _stockBareAdapter.Dispose();
        _handler.Dispose();
    }

    [Benchmark(Baseline = true, Description = "stock Kiota client, Kiota handlers")]
    public Task<StockModels.Command?> StockKiota() =>
        _stock.Me.Devices[DeviceId].Commands[CommandId].GetAsync();

    [Benchmark(Description = "ours, DeviceCommandsClient.Create")]
    public Task<Models.Command?> CreateClient() =>
        _created.Me.Devices[DeviceId].Commands[CommandId].GetAsync();

    [Benchmark(Description = "ours, Kiota adapter + handlers")]
    public Task<Models.Command?> OursOverKiotaAdapter() =>
        _oursOverKiotaAdapter.Me.Devices[DeviceId].Commands[CommandId].GetAsync();

    [Benchmark(Description = "stock Kiota client, no handlers")]
    public Task<StockModels.Command?> StockKiotaBareAdapter() =>
        _stockBare.Me.Devices[DeviceId].Commands[CommandId].GetAsync();

    [Benchmark(Description = "ours, Kiota adapter, no handlers")]
    public Task<Models.Command?> OursBareAdapter() =>
        _oursBare.Me.Devices[DeviceId].Commands[CommandId].GetAsync();

    [Benchmark(Description = "raw HttpClient + STJ source-gen (floor)")]
    public Task<FloorCommand?> RawHttpClient() =>
        _raw.GetFromJsonAsync(
            $"{BaseUrl.AbsoluteUri.TrimEnd('/')}/me/devices/{Uri.EscapeDataString(DeviceId)}/commands/{Uri.EscapeDataString(CommandId)}",
            FloorJsonContext.Default.FloorCommand);
}
