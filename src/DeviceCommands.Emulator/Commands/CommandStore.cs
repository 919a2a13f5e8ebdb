namespace DeviceCommands.Emulator.Commands;

/// <summary>
/// The emulator's memory: commands by id, bounded (the oldest forgotten first), and the request counters.
/// Thread-safe; one lock, held only for dictionary work.
/// </summary>
internal sealed class CommandStore(int maxCommands)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, StoredCommand> _byId = new(StringComparer.Ordinal);
    private readonly Queue<StoredCommand> _oldestFirst = new();
    private readonly HashSet<string> _seenRequestIds = new(StringComparer.Ordinal);
    private readonly Queue<string> _seenRequestIdsOldestFirst = new();
    private int _requestCount;
    private int _postCount;
    private int _duplicatePostCount;

    public int RequestCount => Volatile.Read(ref _requestCount);

    public int PostCount => Volatile.Read(ref _postCount);

    public int DuplicatePostCount => Volatile.Read(ref _duplicatePostCount);

    public void CountRequest() => Interlocked.Increment(ref _requestCount);

    /// <summary>Counts a POST to a commands collection, and a duplicate when its client-request-id was seen before.</summary>
    public void CountPost(string? clientRequestId)
    {
        Interlocked.Increment(ref _postCount);
        if (string.IsNullOrEmpty(clientRequestId))
        {
            return;
        }

        lock (_gate)
        {
            if (!_seenRequestIds.Add(clientRequestId))
            {
                Interlocked.Increment(ref _duplicatePostCount);
                return;
            }

            _seenRequestIdsOldestFirst.Enqueue(clientRequestId);
            if (_seenRequestIdsOldestFirst.Count > maxCommands)
            {
                _seenRequestIds.Remove(_seenRequestIdsOldestFirst.Dequeue());
            }
        }
    }

    public void Add(StoredCommand command)
    {
        lock (_gate)
        {
            _byId.Add(command.Id, command);
            _oldestFirst.Enqueue(command);
            while (_oldestFirst.Count > maxCommands)
            {
                _byId.Remove(_oldestFirst.Dequeue().Id);
            }
        }
    }

    /// <summary>Finds a command by id, only on the device it was posted to.</summary>
    public StoredCommand? Find(string deviceId, string commandId)
    {
        lock (_gate)
        {
            return _byId.TryGetValue(commandId, out StoredCommand? command) && command.DeviceId == deviceId ? command : null;
        }
    }

    /// <summary>Finds a command by id, on any device.</summary>
    public StoredCommand? Find(string commandId)
    {
        lock (_gate)
        {
            return _byId.GetValueOrDefault(commandId);
        }
    }

    /// <summary>The remembered commands, oldest first.</summary>
    public StoredCommand[] All()
    {
        lock (_gate)
        {
            return [.. _oldestFirst];
        }
    }

    /// <summary>
    /// Marks each command whose status differs from the one last logged, and returns those changes
    /// (a new command's previous status is null). Commands already logged as terminal are skipped quickly.
    /// </summary>
    public List<(StoredCommand Command, string? From, StatusAt To)> TakeTransitions(Func<StoredCommand, StatusAt> statusOf)
    {
        List<(StoredCommand, string?, StatusAt)> changes = [];
        lock (_gate)
        {
            foreach (StoredCommand command in _oldestFirst)
            {
                if (command.LoggedTerminal)
                {
                    continue;
                }

                StatusAt now = statusOf(command);
                if (now.Status != command.LastLogged)
                {
                    changes.Add((command, command.LastLogged, now));
                }

                command.LastLogged = now.Status;
                command.LoggedTerminal = now.IsTerminal;
            }
        }

        return changes;
    }

    /// <summary>Forgets every command and seen client-request-id, and zeroes the counters.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _byId.Clear();
            _oldestFirst.Clear();
            _seenRequestIds.Clear();
            _seenRequestIdsOldestFirst.Clear();
            Interlocked.Exchange(ref _requestCount, 0);
            Interlocked.Exchange(ref _postCount, 0);
            Interlocked.Exchange(ref _duplicatePostCount, 0);
        }
    }
}
