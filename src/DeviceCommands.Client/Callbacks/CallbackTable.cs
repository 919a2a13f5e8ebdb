using System.Collections.Concurrent;

namespace DeviceCommands.Client.Callbacks;

/// <summary>
/// The receiver's live keys and the waits that hold each: one wait per key as a rule (a fresh key), several when one
/// checkpoint is resumed more than once at a time (each is an independent wait, and a callback wakes them all).
/// Thread-safe, without locks: a key's value is one <see cref="CallbackWake"/>, or an array of them when shared.
/// </summary>
internal sealed class CallbackTable
{
    private readonly ConcurrentDictionary<string, object> _keys = new(StringComparer.Ordinal);
    private int _waits;

    /// <summary>The waits that hold a key now.</summary>
    public int Count => Volatile.Read(ref _waits);

    /// <summary>Adds a wait under a key no wait holds; false when one does (a fresh key that collided).</summary>
    public bool TryAddNew(CallbackWake wake)
    {
        if (!_keys.TryAdd(wake.Key, wake))
        {
            return false;
        }

        Interlocked.Increment(ref _waits);
        return true;
    }

    /// <summary>Adds a wait under its key, beside any waits that hold it already.</summary>
    public void Add(CallbackWake wake)
    {
        while (!_keys.TryAdd(wake.Key, wake))
        {
            if (_keys.TryGetValue(wake.Key, out var held) && _keys.TryUpdate(wake.Key, held is CallbackWake one ? new[] { one, wake } : [.. (CallbackWake[])held, wake], held))
            {
                break;
            }
        }

        Interlocked.Increment(ref _waits);
    }

    /// <summary>Removes a wait; nothing when it holds no key (already removed).</summary>
    public void Remove(CallbackWake wake)
    {
        while (_keys.TryGetValue(wake.Key, out var held))
        {
            bool removed;
            if (ReferenceEquals(held, wake))
            {
                removed = _keys.TryRemove(new KeyValuePair<string, object>(wake.Key, held));
            }
            else if (held is CallbackWake[] shared && Array.IndexOf(shared, wake) >= 0)
            {
                var left = Array.FindAll(shared, w => !ReferenceEquals(w, wake));
                removed = _keys.TryUpdate(wake.Key, left.Length == 1 ? left[0] : left, held);
            }
            else
            {
                return;
            }

            if (removed)
            {
                Interlocked.Decrement(ref _waits);
                return;
            }
        }
    }

    /// <summary>Hands a callback's body to every wait that holds <paramref name="key"/>; false when none does.</summary>
    public bool Hint(string key, ReadOnlySpan<byte> body)
    {
        if (!_keys.TryGetValue(key, out var held))
        {
            return false;
        }

        if (held is CallbackWake one)
        {
            one.Hint(body);
        }
        else
        {
            foreach (var wake in (CallbackWake[])held)
            {
                wake.Hint(body);
            }
        }

        return true;
    }
}
