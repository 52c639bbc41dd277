namespace Plumbline.Storage.Keys;

/// <summary>A store that seals with keys (both backends): what backup, restore and <c>plumb keys</c> reach through.</summary>
internal interface IKeyedStore
{
    StoreKeys Keys { get; }
}
