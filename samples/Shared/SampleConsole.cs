namespace DeviceCommands.Samples;

/// <summary>Reports on the waiting thread, in order (unlike <see cref="Progress{T}"/>, which posts to the thread pool).</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}

/// <summary>The frames of a text spinner, one per status change.</summary>
internal static class Spinner
{
    private static readonly char[] Frames = ['|', '/', '-', '\\'];
    private static int _next;

    public static char Next() => Frames[Interlocked.Increment(ref _next) % Frames.Length];
}
