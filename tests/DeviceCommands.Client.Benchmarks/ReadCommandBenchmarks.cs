using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.Kiota.Serialization.Json;
using Ours = DeviceCommands.Client.Models;
using Stock = Benchmarks.StockKiota.Models;

namespace DeviceCommands.Client.Benchmarks;

/// <summary>
/// Issue 6, part 1: reading one command status body into a model, the way a Kiota adapter reads it
/// (UTF-8 bytes → <see cref="JsonDocument"/> → stock <see cref="JsonParseNode"/> → <c>GetObjectValue</c>), for our tolerant
/// models and for the stock Kiota-generated models, beside System.Text.Json source generation into a plain record (the floor).
/// </summary>
/// <remarks>
/// What each variant reads differs on the quirky bodies (see <see cref="Verify"/>, printed at setup): the stock model keeps the
/// <c>"null"</c> strings, puts <c>responsepayload</c> in its additional data and reads nothing but <c>AdditionalData["value"]</c>
/// from the wrapper; the floor keeps the <c>"null"</c> strings; our model reads all three bodies to the same command.
/// </remarks>
[MemoryDiagnoser]
public class ReadCommandBenchmarks
{
    private static readonly JsonDocumentOptions DocumentOptions = default;

    [ParamsSource(nameof(Bodies))]
    public Body Body { get; set; } = Body.NullStrings;

    public static IEnumerable<Body> Bodies => Body.Commands;

    [GlobalSetup]
    public void Setup() => Console.WriteLine($"// {nameof(ReadCommandBenchmarks)} [{Body}]: {Verify()}");

    [Benchmark(Baseline = true, Description = "stock Kiota models")]
    public Stock.Command? StockKiota()
    {
        using var document = JsonDocument.Parse(Body.Utf8, DocumentOptions);
        var node = new JsonParseNode(document.RootElement);
        return node.GetObjectValue(Stock.Command.CreateFromDiscriminatorValue);
    }

    [Benchmark(Description = "our models")]
    public Ours.Command? OurModels()
    {
        using var document = JsonDocument.Parse(Body.Utf8, DocumentOptions);
        var node = new JsonParseNode(document.RootElement);
        return node.GetObjectValue(Ours.Command.CreateFromDiscriminatorValue);
    }

    /// <summary>Our models the way our client reads them (its response reader's parse node, see Requests/ResponseReader.cs).</summary>
    [Benchmark(Description = "our models, as our client reads")]
    public Ours.Command? OurModelsAsOurClientReads()
    {
        using var document = JsonDocument.Parse(Body.Utf8, DocumentOptions);
        var node = new DeviceCommands.Client.Serialization.JsonElementParseNode(document.RootElement)
        {
            OnAfterAssignFieldValues = DeviceCommands.Client.Serialization.TolerantReader.MaterializeAdditionalData,
        };
        return node.GetObjectValue(Ours.Command.CreateFromDiscriminatorValue);
    }

    [Benchmark(Description = "STJ source-gen record (floor)")]
    public FloorCommand? SystemTextJson() => JsonSerializer.Deserialize(Body.Utf8, FloorJsonContext.Default.FloorCommand);

    /// <summary>What each variant read from the current body, in one line.</summary>
    public string Verify()
    {
        var stock = StockKiota();
        var ours = OurModels();
        var client = OurModelsAsOurClientReads();
        if (client?.Id != ours?.Id || client?.Status != ours?.Status || client?.Type != ours?.Type)
        {
            throw new InvalidOperationException("our two reading paths disagree");
        }

        var floor = SystemTextJson();
        var floorCommand = floor?.Value ?? floor;
        return $"stock: id={Show(stock?.Id)} status={Show(stock?.Status)} type={Show(stock?.Type)} extra=[{string.Join(",", stock?.AdditionalData.Keys ?? [])}]"
            + $" | ours: id={Show(ours?.Id)} status={Show(ours?.Status)} type={Show(ours?.Type)} extra=[{string.Join(",", ours?.AdditionalData.Keys ?? [])}]"
            + $" | floor: id={Show(floorCommand?.Id)} status={Show(floorCommand?.Status)} type={Show(floorCommand?.Type)}";
    }

    private static string Show(object? value) => value switch
    {
        null => "null",
        string s when s.Length > 12 => $"\"{s[..12]}…\"",
        string s => $"\"{s}\"",
        _ => value.ToString() ?? "?",
    };
}
