using Microsoft.Extensions.Logging;

namespace DeviceCommands.Client.Tests.TestSupport;

/// <summary>An <see cref="ILoggerFactory"/> that keeps every formatted line, for assertions on what is (and is not) logged.</summary>
internal sealed class LogCapture : ILoggerFactory, ILogger
{
    public List<(LogLevel Level, string Category, string Message)> Lines { get; } = [];

    private string _category = "";

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

    public ILogger CreateLogger(string categoryName)
    {
        _category = categoryName;
        return this;
    }

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (Lines)
        {
            Lines.Add((logLevel, _category, formatter(state, exception) + (exception is null ? "" : " | " + exception)));
        }
    }

    public void Dispose()
    {
    }
}
