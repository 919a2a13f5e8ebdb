using Microsoft.Extensions.Logging;

namespace DeviceCommands.TestSupport;

/// <summary>An <see cref="ILoggerFactory"/> that keeps every formatted line, for assertions on what is (and is not) logged.</summary>
public sealed class LogCapture : ILoggerFactory, ILogger
{
    /// <summary>Every line so far: level, category, and the formatted message (with the exception, if any).</summary>
    public List<(LogLevel Level, string Category, string Message)> Lines { get; } = [];

    private string _category = "";

    /// <summary>Every line as one text, one line each.</summary>
    public string All
    {
        get
        {
            lock (Lines)
            {
                return string.Join('\n', Lines.Select(l => $"{l.Level} {l.Category} {l.Message}"));
            }
        }
    }

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName)
    {
        _category = categoryName;
        return this;
    }

    /// <inheritdoc/>
    public void AddProvider(ILoggerProvider provider)
    {
    }

    /// <inheritdoc/>
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    /// <inheritdoc/>
    public bool IsEnabled(LogLevel logLevel) => true;

    /// <inheritdoc/>
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (Lines)
        {
            Lines.Add((logLevel, _category, formatter(state, exception) + (exception is null ? "" : " | " + exception)));
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
