using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Kiota.Abstractions.Serialization;

namespace DeviceCommands.Client.Serialization;

/// <summary>Reads one JSON property into a model; <paramref name="jsonName"/> is the name as it was sent.</summary>
internal delegate void FieldReader<in TModel>(TModel model, IParseNode node, string jsonName);

/// <summary>
/// The field deserializers of one model type, built once per type: a case-insensitive table of
/// readers, so that <c>Status</c>, <c>status</c> and <c>STATUS</c> all match through any Kiota parse node.
/// </summary>
/// <remarks>
/// Names that differ only in case (<c>{"status":…,"Status":…}</c>) are valid JSON and never an error. The last one
/// sent sets the property (as with a repeated name), except that a name in another spelling never replaces one sent in
/// the model's own (documented camelCase) spelling: it is kept in additional data under its own spelling instead (like
/// every name of a typed property, never written back).
/// </remarks>
internal sealed class FieldTable<TModel>
    where TModel : class
{
    private readonly Dictionary<string, FieldEntry<TModel>>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    public FieldTable(KeyValuePair<string, FieldReader<TModel>>[] readers)
    {
        // each reader with the model's own spelling of its name: a lookup by characters finds the name too (the
        // alternate lookup does not return the key it matched); and its index, for the bit that says it was read
        // a class, not a tuple, and a loop, not LINQ: a table over reference types shares code the runtime has already
        // compiled, where a value-type tuple made the first read JIT ~45 Dictionary/Frozen/LINQ methods of its own;
        // a plain dictionary, not a frozen one: freezing analyses the keys and loads System.Collections.Immutable on the
        // first read, for a table of a dozen names; an array, not an enumerable: the models' collection expressions
        // then make a plain array, not a generic read-only wrapper with an enumerator of its own to compile
        var table = new Dictionary<string, FieldEntry<TModel>>(readers.Length, StringComparer.OrdinalIgnoreCase);
        for (var index = 0; index < readers.Length; index++)
        {
            var name = readers[index].Key;
            table[name] = new FieldEntry<TModel>(name, readers[index].Value, index);
        }

        Readers = table;
        if (Readers.Count > 64)
        {
            throw new ArgumentException("A model has at most 64 typed properties (one bit each records whether it was read).", nameof(readers));
        }

        _bySpan = Readers.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The readers by JSON name, any case; never written after construction.</summary>
    public Dictionary<string, FieldEntry<TModel>> Readers { get; }

    /// <summary>The reader for a JSON name given as characters, the model's own spelling of that name, and its index.</summary>
    public bool TryGetReader(ReadOnlySpan<char> jsonName, [MaybeNullWhen(false)] out FieldEntry<TModel> entry) =>
        _bySpan.TryGetValue(jsonName, out entry);

    /// <summary>Whether a JSON name belongs to a typed property (such names are never written from additional data).</summary>
    public bool IsKnown(string jsonName) => Readers.ContainsKey(jsonName);

    /// <summary>The view that <see cref="IParsable.GetFieldDeserializers"/> returns for one model instance.</summary>
    public IDictionary<string, Action<IParseNode>> For(TModel model) => new FieldMap<TModel>(model, this);
}

/// <summary>One typed property of a model: the model's own spelling of its JSON name, its reader and its index (its bit).</summary>
internal sealed class FieldEntry<TModel>(string name, FieldReader<TModel> reader, int index)
    where TModel : class
{
    public string Name { get; } = name;

    public FieldReader<TModel> Reader { get; } = reader;

    public int Index { get; } = index;
}

/// <summary>
/// A read-only <see cref="IDictionary{TKey, TValue}"/> over a <see cref="FieldTable{TModel}"/>, bound to one model: what
/// <see cref="IParsable.GetFieldDeserializers"/> returns.
/// </summary>
/// <remarks>
/// The client's own parse node reads through <see cref="IFieldSink"/> and looks each name up by its characters, so it
/// makes no delegate at all. Any other parse node (Kiota's stock one) gets a delegate of its own for each lookup, so
/// delegates it holds at the same time never interfere.
/// </remarks>
internal sealed class FieldMap<TModel> : IDictionary<string, Action<IParseNode>>, IFieldSink
    where TModel : class
{
    private readonly TModel _model;
    private readonly FieldTable<TModel> _table;

    /// <summary>The fields already read in the model's own spelling (one bit each).</summary>
    private ulong _readExactly;

    public FieldMap(TModel model, FieldTable<TModel> table)
    {
        _model = model;
        _table = table;
    }

    public Action<IParseNode> this[string key]
    {
        get
        {
            // the name as the node looked it up (as it was sent), for values kept in additional data
            return Bound(_table.Readers[key], key);
        }

        set => throw ReadOnly();
    }

    public ICollection<string> Keys => _table.Readers.Keys;

    public ICollection<Action<IParseNode>> Values => _table.Readers.Select(p => Bound(p.Value, p.Value.Name)).ToArray();

    public int Count => _table.Readers.Count;

    public bool IsReadOnly => true;

    public bool ContainsKey(string key) => _table.Readers.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out Action<IParseNode> value)
    {
        if (_table.Readers.TryGetValue(key, out var entry))
        {
            value = Bound(entry, key);
            return true;
        }

        value = null;
        return false;
    }

    public bool Contains(KeyValuePair<string, Action<IParseNode>> item) => false;

    public void CopyTo(KeyValuePair<string, Action<IParseNode>>[] array, int arrayIndex)
    {
        ArgumentNullException.ThrowIfNull(array);
        foreach (var pair in this)
        {
            array[arrayIndex++] = pair;
        }
    }

    public IEnumerator<KeyValuePair<string, Action<IParseNode>>> GetEnumerator()
    {
        foreach (var pair in _table.Readers)
        {
            yield return new KeyValuePair<string, Action<IParseNode>>(pair.Key, Bound(pair.Value, pair.Value.Name));
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public void Add(string key, Action<IParseNode> value) => throw ReadOnly();

    public void Add(KeyValuePair<string, Action<IParseNode>> item) => throw ReadOnly();

    public void Clear() => throw ReadOnly();

    public bool Remove(string key) => throw ReadOnly();

    public bool Remove(KeyValuePair<string, Action<IParseNode>> item) => throw ReadOnly();

    public bool TryRead(ReadOnlySpan<char> jsonName, IParseNode node, bool isJsonNull)
    {
        if (!_table.TryGetReader(jsonName, out var entry))
        {
            return false;
        }

        if (!isJsonNull)
        {
            // the name as it was sent: the model's own string when the spelling is the same (the usual case), so nothing is allocated
            Read(entry, node, jsonName.SequenceEqual(entry.Name) ? entry.Name : jsonName.ToString());
        }

        return true;
    }

    /// <summary>Reads one property, unless another spelling of its name has won (see <see cref="FieldTable{TModel}"/>): then it is kept as sent.</summary>
    private void Read(FieldEntry<TModel> entry, IParseNode node, string jsonName)
    {
        var bit = 1UL << entry.Index;
        var exact = string.Equals(jsonName, entry.Name, StringComparison.Ordinal);
        if (!exact && (_readExactly & bit) != 0)
        {
            if (_model is IAdditionalDataHolder holder)
            {
                TolerantReader.Keep(holder, jsonName, TolerantReader.ReadUntyped(node));
            }

            return;
        }

        if (exact)
        {
            _readExactly |= bit;
        }

        entry.Reader(_model, node, jsonName);
    }

    /// <summary>A delegate that reads into this map's model under the JSON name <paramref name="name"/>.</summary>
    private Action<IParseNode> Bound(FieldEntry<TModel> entry, string name) => node => Read(entry, node, name);

    private static NotSupportedException ReadOnly() => new("The field deserializers of a model are read-only.");
}

/// <summary>
/// Field deserializers that a parse node can drive by a name it holds as characters, so reading a property does not
/// allocate its name (see <see cref="JsonElementParseNode"/>). Models' <see cref="FieldMap{TModel}"/> implement it.
/// </summary>
internal interface IFieldSink
{
    /// <summary>
    /// Reads the property <paramref name="jsonName"/> from <paramref name="node"/> (not at all when it is a JSON null);
    /// false when the model has no such field.
    /// </summary>
    bool TryRead(ReadOnlySpan<char> jsonName, IParseNode node, bool isJsonNull);
}
