namespace DeviceCommands.Client.Serialization;

/// <summary>What the tolerant reader needs to know of a model beyond <c>IParsable</c>.</summary>
internal interface ITolerantModel
{
    /// <summary>Whether anything at all was read into the model (a typed property or additional data).</summary>
    bool HasValues { get; }

    /// <summary>Drops an empty additional-data dictionary that a parse node created (it is made again when asked for).</summary>
    void TrimAdditionalData();
}
