namespace DeviceCommands.TestSupport;

/// <summary>
/// The script both fakes run: the first matching <see cref="HttpStep"/> rule (kept, and tried again, until its count is
/// used up), else the next queued reply (each used once), else the fallback. Thread-safe.
/// </summary>
internal sealed class StepScript(Action<Reply> check)
{
    private readonly Lock _gate = new();
    private readonly List<(HttpStep Step, int Left)> _rules = [];
    private readonly Queue<Reply> _queue = new();
    private Reply? _otherwise;

    public int Queued
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    public void When(HttpStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(step.Match);
        Check(step.Reply);
        if (step.Times is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step.Times, "A step answers at least one request (null for all).");
        }

        lock (_gate)
        {
            _rules.Add((step, step.Times ?? -1));
        }
    }

    public void Enqueue(Reply reply)
    {
        Check(reply);
        lock (_gate)
        {
            _queue.Enqueue(reply);
        }
    }

    public void Otherwise(Reply? reply)
    {
        if (reply is not null)
        {
            Check(reply);
        }

        lock (_gate)
        {
            _otherwise = reply;
        }
    }

    /// <summary>The reply for this request; null when nothing is scripted for it. A throwing matcher goes to <paramref name="faults"/> and does not match.</summary>
    public Reply? Next(StepRequest request, Action<Exception> faults)
    {
        lock (_gate)
        {
            for (int i = 0; i < _rules.Count; i++)
            {
                (HttpStep step, int left) = _rules[i];
                bool matches;
                try
                {
                    matches = step.Match.Matches(request);
                }
#pragma warning disable CA1031 // A throwing predicate is a test bug: keep it, treat the rule as not matching.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    faults(e);
                    continue;
                }

                if (matches)
                {
                    if (left == 1)
                    {
                        _rules.RemoveAt(i);
                    }
                    else if (left > 1)
                    {
                        _rules[i] = (step, left - 1);
                    }

                    return step.Reply;
                }
            }

            return _queue.TryDequeue(out Reply? next) ? next : _otherwise;
        }
    }

    private void Check(Reply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        check(reply);
    }
}
