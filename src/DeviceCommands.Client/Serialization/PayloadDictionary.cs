using System.Diagnostics.CodeAnalysis;

namespace DeviceCommands.Client.Serialization;

/// <summary>
/// A payload object as <see cref="JsonPayload.ToDictionary"/> gives it: every name kept as sent (ordinal, so
/// <c>{"type":…,"Type":…}</c> keeps both), and a lookup by a spelling that is not there finds the first name sent that
/// differs from it only in case (names read in any case, as before).
/// </summary>
internal sealed class PayloadDictionary : IReadOnlyDictionary<string, object?>
{
    private readonly Dictionary<string, object?> _exact;
    private Dictionary<string, string>? _byAnyCase;

    public PayloadDictionary(Dictionary<string, object?> exact)
    {
        _exact = exact;
    }

    public int Count => _exact.Count;

    public IEnumerable<string> Keys => _exact.Keys;

    public IEnumerable<object?> Values => _exact.Values;

    public object? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The payload has no property '{key}' in any case.");

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_exact.TryGetValue(key, out value))
        {
            return true;
        }

        // built on the first lookup that misses: the first spelling sent of each name, in any case
        if (_byAnyCase is null)
        {
            var byAnyCase = new Dictionary<string, string>(_exact.Count, StringComparer.OrdinalIgnoreCase);
            foreach (var name in _exact.Keys)
            {
                byAnyCase.TryAdd(name, name);
            }

            _byAnyCase = byAnyCase;
        }

        if (_byAnyCase.TryGetValue(key, out var sent))
        {
            value = _exact[sent];
            return true;
        }

        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _exact.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
