using Microsoft.Kiota.Abstractions.Serialization;

namespace DeviceCommands.Client.Serialization;

/// <summary>
/// The writing rules: the service's documented camelCase names, nothing for a null (and never the string
/// <c>"null"</c>), and additional data written back except values kept under a typed property's name
/// (the typed property is the one source of truth for its name).
/// </summary>
internal static class ModelWriter
{
    public static void WriteString(ISerializationWriter writer, string key, string? value)
    {
        if (value is not null && value != TolerantReader.NullText)
        {
            writer.WriteStringValue(key, value);
        }
    }

    public static void WriteAdditionalData<TModel>(ISerializationWriter writer, IDictionary<string, object>? data, FieldTable<TModel> table)
        where TModel : class
    {
        if (data is null || data.Count == 0)
        {
            return;
        }

        Dictionary<string, object>? filtered = null;
        foreach (var pair in data)
        {
            if (table.IsKnown(pair.Key) || IsNullish(pair.Value))
            {
                filtered ??= new Dictionary<string, object>(data.Count, StringComparer.Ordinal);
                continue;
            }

            filtered?.Add(pair.Key, pair.Value);
        }

        if (filtered is null)
        {
            writer.WriteAdditionalData(data);
            return;
        }

        // Rebuild in order: the first pass only learned that something must be left out.
        filtered.Clear();
        foreach (var pair in data)
        {
            if (!table.IsKnown(pair.Key) && !IsNullish(pair.Value))
            {
                filtered[pair.Key] = pair.Value;
            }
        }

        if (filtered.Count > 0)
        {
            writer.WriteAdditionalData(filtered);
        }
    }

    private static bool IsNullish(object? value) =>
        value is null or UntypedNull || value is string s && s == TolerantReader.NullText
        || value is UntypedString u && u.GetValue() == TolerantReader.NullText;
}
