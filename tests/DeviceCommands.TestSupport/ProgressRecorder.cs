namespace DeviceCommands.TestSupport;

/// <summary>An <see cref="IProgress{T}"/> that records each report at once, on the reporting thread (<see cref="Progress{T}"/> would post to a context).</summary>
/// <typeparam name="T">What is reported.</typeparam>
public sealed class ProgressRecorder<T> : IProgress<T>
{
    private readonly Lock _gate = new();
    private readonly List<T> _items = [];

    /// <summary>The reports so far, in order.</summary>
    public IReadOnlyList<T> Items
    {
        get
        {
            lock (_gate)
            {
                return [.. _items];
            }
        }
    }

    /// <inheritdoc/>
    public void Report(T value)
    {
        lock (_gate)
        {
            _items.Add(value);
        }
    }
}
