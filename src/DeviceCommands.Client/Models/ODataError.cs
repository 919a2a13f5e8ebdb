using System.Globalization;
using DeviceCommands.Client.Serialization;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;

namespace DeviceCommands.Client.Models;

/// <summary>
/// The error every non-2xx answer throws, whatever its body: <see cref="ApiException.ResponseStatusCode"/> and
/// <see cref="ApiException.ResponseHeaders"/> are always set; <see cref="Error"/> is filled when the body is an
/// OData error (<c>{"error":{"code":"...","message":"..."}}</c>), and <see cref="ResponseBody"/> keeps the start
/// of any other body (an HTML page, plain text).
/// </summary>
public partial class ODataError : ApiException, IAdditionalDataHolder, IParsable, ITolerantModel
{
    private static readonly FieldTable<ODataError> Fields = new(
    [
        new("error", static (m, n, k) => m.Error = TolerantReader.ReadObject(n, m, k, MainError.CreateFromDiscriminatorValue)),
    ]);

    private readonly string? _message;
    private IDictionary<string, object>? _additionalData;

    /// <summary>Creates an error with no details (Kiota's factory uses this).</summary>
    public ODataError()
    {
    }

    /// <summary>Creates an error with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public ODataError(string message)
        : base(message)
    {
        _message = message;
    }

    /// <summary>Creates an error with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ODataError(string message, Exception? innerException)
        : base(message, innerException!)
    {
        _message = message;
    }

    /// <summary>Properties of the body the model does not know, by the name they were sent with.</summary>
    public IDictionary<string, object> AdditionalData
    {
        get => _additionalData ??= new Dictionary<string, object>(StringComparer.Ordinal);
        set => _additionalData = value;
    }

    /// <summary>The OData error, when the body was one.</summary>
    public MainError? Error { get; set; }

    /// <summary>The start of a body that was not an OData error (an HTML page, plain text), for diagnostics.</summary>
    public string? ResponseBody { get; set; }

    /// <summary>A one-line description: the HTTP status, then the service's code and message when it sent them.</summary>
    public override string Message
    {
        get
        {
            var status = ResponseStatusCode > 0 ? string.Create(CultureInfo.InvariantCulture, $"HTTP {ResponseStatusCode}") : null;
            var detail = (Error?.Code, Error?.Message) switch
            {
                (null, null) => _message,
                ({ } code, null) => code,
                (null, { } message) => message,
                ({ } code, { } message) => $"{code}: {message}",
            };
            return (status, detail) switch
            {
                (null, null) => "The service returned an error.",
                ({ } s, null) => $"The service returned {s}.",
                (null, { } d) => ErrorText.Sentence(d),

                // the client's own description names the status already
                ({ } s, { } d) when NamesStatus(d, s) => ErrorText.Sentence(d),
                ({ } s, { } d) => $"{d.TrimEnd().TrimEnd('.')} ({s}).",
            };
        }
    }

    /// <summary>Whether <paramref name="text"/> names <paramref name="status"/> (<c>HTTP 404</c>) as a whole number, not as the start of a longer one (<c>HTTP 4040</c>).</summary>
    private static bool NamesStatus(string text, string status)
    {
        for (var at = text.IndexOf(status, StringComparison.Ordinal); at >= 0; at = text.IndexOf(status, at + 1, StringComparison.Ordinal))
        {
            var end = at + status.Length;
            if (end == text.Length || !char.IsAsciiDigit(text[end]))
            {
                return true;
            }
        }

        return false;
    }

    void ITolerantModel.TrimAdditionalData()
    {
        if (_additionalData is { Count: 0 })
        {
            _additionalData = null;
        }
    }

    bool ITolerantModel.HasValues => Error is not null || _additionalData is { Count: > 0 };

    /// <summary>Creates a new instance for a parse node (Kiota's factory convention).</summary>
    /// <param name="parseNode">The node to read.</param>
    /// <returns>A new, empty error.</returns>
    public static ODataError CreateFromDiscriminatorValue(IParseNode parseNode)
    {
        ArgumentNullException.ThrowIfNull(parseNode);
        return new ODataError();
    }

    /// <summary>The tolerant readers of this model's properties, matching names in any case.</summary>
    /// <returns>A read-only map from JSON name to reader.</returns>
    public virtual IDictionary<string, Action<IParseNode>> GetFieldDeserializers() => Fields.For(this);

    /// <summary>Writes the error body as camelCase JSON.</summary>
    /// <param name="writer">The writer.</param>
    public virtual void Serialize(ISerializationWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (Error is not null)
        {
            writer.WriteObjectValue("error", Error);
        }

        ModelWriter.WriteAdditionalData(writer, _additionalData, Fields);
    }
}
