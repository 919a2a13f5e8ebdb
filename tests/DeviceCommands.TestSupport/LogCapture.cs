using System.Collections;
using Microsoft.Extensions.Logging;

namespace DeviceCommands.TestSupport;

/// <summary>
/// Keeps every log entry (level, category, event id, message, exception, state pairs, scopes) and every scope begun,
/// for assertions on what is (and is not) logged. Use it as the <see cref="ILoggerFactory"/> itself, or add it to one
/// as an <see cref="ILoggerProvider"/> (<c>builder.AddProvider(capture)</c>); it logs at every level.
/// </summary>
public sealed class LogCapture : ILoggerFactory, ILoggerProvider
{
    private readonly Lock _gate = new();
    private readonly List<LogEntry> _entries = [];
    private readonly List<object> _scopes = [];
    private readonly AsyncLocal<Scope?> _current = new();

    /// <summary>A snapshot of every entry so far, in the order logged.</summary>
    public IReadOnlyList<LogEntry> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

    /// <summary>A snapshot of the state of every scope begun so far, in the order begun (whether or not anything was logged in it).</summary>
    public IReadOnlyList<object> ScopesBegun
    {
        get
        {
            lock (_gate)
            {
                return [.. _scopes];
            }
        }
    }

    /// <summary>Every entry as one text, one line each: level, category, message (and <c>| exception</c>, if any).</summary>
    public string All => string.Join('\n', Entries.Select(e => $"{e.Level} {e.Category} {e.Message}" + (e.Exception is null ? "" : " | " + e.Exception)));

    /// <summary>
    /// Every piece of text captured, for a "this appears nowhere" search: each entry's message, event name, exception
    /// text, state keys and values (and the items of a value that is a collection), and every scope's state and its
    /// keys and values.
    /// </summary>
    /// <returns>The texts, in no promised order.</returns>
    public IReadOnlyList<string> AllTexts()
    {
        var texts = new List<string>();
        foreach (LogEntry entry in Entries)
        {
            texts.Add(entry.Message);
            AddIfNotNull(texts, entry.EventId.Name);
            AddIfNotNull(texts, entry.Exception?.ToString());
            AddIfNotNull(texts, entry.StateText);
            AddPairs(texts, entry.State);
        }

        foreach (object scope in ScopesBegun)
        {
            AddIfNotNull(texts, scope.ToString());
            AddPairs(texts, Pairs(scope));
        }

        return texts;
    }

    /// <summary>A logger for <paramref name="categoryName"/>; each keeps its own category.</summary>
    /// <param name="categoryName">The category of its entries.</param>
    /// <returns>The logger.</returns>
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <summary>Does nothing: as a factory, it is its only provider.</summary>
    /// <param name="provider">Ignored.</param>
    public void AddProvider(ILoggerProvider provider)
    {
    }

    /// <summary>Does nothing: what was captured stays readable after the logging that used it is disposed.</summary>
    public void Dispose()
    {
    }

    private static IReadOnlyList<KeyValuePair<string, object?>> Pairs(object? state) =>
        state is IEnumerable<KeyValuePair<string, object?>> pairs ? [.. pairs] : [];

    private static void AddIfNotNull(List<string> texts, string? text)
    {
        if (text is not null)
        {
            texts.Add(text);
        }
    }

    private static void AddPairs(List<string> texts, IReadOnlyList<KeyValuePair<string, object?>> pairs)
    {
        foreach ((string key, object? value) in pairs)
        {
            texts.Add(key);
            switch (value)
            {
                case null:
                    break;
                case string text:
                    texts.Add(text);
                    break;
                case IEnumerable items:
                    AddIfNotNull(texts, value.ToString());
                    foreach (object? item in items)
                    {
                        AddIfNotNull(texts, item?.ToString());
                    }

                    break;
                default:
                    AddIfNotNull(texts, value.ToString());
                    break;
            }
        }
    }

    private IReadOnlyList<object> ActiveScopes()
    {
        var scopes = new List<object>();
        for (Scope? scope = _current.Value; scope is not null; scope = scope.Parent)
        {
            scopes.Add(scope.State);
        }

        scopes.Reverse();
        return scopes;
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable BeginScope<TState>(TState state)
            where TState : notnull
        {
            lock (owner._gate)
            {
                owner._scopes.Add(state);
            }

            var scope = new Scope(owner, state, owner._current.Value);
            owner._current.Value = scope;
            return scope;
        }

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var entry = new LogEntry(logLevel, category, eventId, formatter(state, exception), exception, Pairs(state), owner.ActiveScopes())
            {
                StateText = state?.ToString(),
            };
            lock (owner._gate)
            {
                owner._entries.Add(entry);
            }
        }
    }

    /// <summary>A scope on the async-local stack; disposing it makes its parent current again.</summary>
    private sealed class Scope(LogCapture owner, object state, Scope? parent) : IDisposable
    {
        private int _disposed;

        public object State { get; } = state;

        public Scope? Parent { get; } = parent;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner._current.Value = Parent;
            }
        }
    }
}

/// <summary>One entry a <see cref="LogCapture"/> kept.</summary>
/// <param name="Level">The level.</param>
/// <param name="Category">The category of the logger that wrote it.</param>
/// <param name="EventId">The event id (and name).</param>
/// <param name="Message">The formatted message (the exception, if any, is in <see cref="Exception"/>).</param>
/// <param name="Exception">The exception logged with it, if any.</param>
/// <param name="State">The state's key/value pairs (empty when the state had none).</param>
/// <param name="Scopes">The states of the scopes active where it was logged, outermost first.</param>
public sealed record LogEntry(
    LogLevel Level,
    string Category,
    EventId EventId,
    string Message,
    Exception? Exception,
    IReadOnlyList<KeyValuePair<string, object?>> State,
    IReadOnlyList<object> Scopes)
{
    /// <summary>The state's own text (its <c>ToString()</c>), searched by <see cref="LogCapture.AllTexts"/>.</summary>
    internal string? StateText { get; init; }
}
