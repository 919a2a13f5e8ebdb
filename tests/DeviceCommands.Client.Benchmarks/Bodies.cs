using System.Reflection;
using System.Text;

namespace DeviceCommands.Client.Benchmarks;

/// <summary>A response body that a benchmark reads, named for BenchmarkDotNet's tables.</summary>
public sealed class Body
{
    private Body(string name, byte[] utf8)
    {
        Name = name;
        Utf8 = utf8;
    }

    public string Name { get; }

    public byte[] Utf8 { get; }

    /// <summary>The status page's response block: every property the string <c>"null"</c>, <c>responsepayload</c> in lower case.</summary>
    public static Body NullStrings { get; } = new("null-strings", Resource("status-null-strings.json"));

    /// <summary>The status page's example: one command wrapped as <c>{"value":{...}}</c>, with JSON nulls.</summary>
    public static Body ValueWrapper { get; } = new("value-wrapper", Resource("status-value-wrapper.json"));

    /// <summary>A clean camelCase command as the resource page documents it: every property, a response payload and a payload object.</summary>
    public static Body Clean { get; } = new("clean-camelCase", Encoding.UTF8.GetBytes(
        """
        {"id":"0158355AD4D680CC4E2994CC009EFFD7337D1335FCA6ED266","status":"completed","type":"AppService","appServiceName":"com.microsoft.test.cdppingpongservice","packageFamilyName":"5085ShawnHenry.RomanTestApp_jsjw7knzsgcce","error":null,"permissionTicket":"ticket-1","postBackUri":"https://example.invalid/postback","responsePayload":{"type":"Ok","creationDate":"2017-04-27T10:00:00Z","msIgnoredParameter":0},"payload":{"Type":"Toast","Title":"Hello","Subtitle":"World!"}}
        """));

    /// <summary>The three command bodies, for <c>[ParamsSource]</c>.</summary>
    public static IEnumerable<Body> Commands => [NullStrings, ValueWrapper, Clean];

    public override string ToString() => Name;

    private static byte[] Resource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded body {name} is missing.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
