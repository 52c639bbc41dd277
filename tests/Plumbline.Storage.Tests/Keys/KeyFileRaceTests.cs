using Plumbline.Storage.Audit;
using Plumbline.Storage.Keys;

namespace Plumbline.Storage.Tests.Keys;

/// <summary>
/// Processes opening a new store at once each try to create the key folder's master.key and audit.key: exactly one
/// key must win and every opener must use it (a master key replaced after data keys were wrapped with it would
/// lock the store for good).
/// </summary>
public class KeyFileRaceTests
{
    [Fact]
    public void ConcurrentCreators_AllGetTheOneKeyThatIsOnDisk_AndLeaveNoTemporaryFiles()
    {
        using var root = new TempDirectory();
        for (var round = 0; round < 40; round++)
        {
            var location = new KeyLocation(Path.Combine(root.Path, $"round-{round}.keys"));
            Directory.CreateDirectory(location.Directory);
            const int openers = 8;
            using var start = new Barrier(openers);
            var masters = new byte[openers][];
            var audits = new byte[openers][];
            var threads = Enumerable.Range(0, openers).Select(i => new Thread(() =>
            {
                start.SignalAndWait();
                masters[i] = MasterKey.Load(location, mayCreate: true).Key;
                audits[i] = AuditKey.Load(location, create: true)!;
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());

            var master = MasterKey.Parse(File.ReadAllText(location.MasterKeyFile), location.MasterKeyFile);
            var audit = Convert.FromBase64String(File.ReadAllText(location.AuditKeyFile).Trim());
            Assert.All(masters, k => Assert.Equal(master, k));
            Assert.All(audits, k => Assert.Equal(audit, k));
            Assert.Equal(["audit.key", "master.key"], Directory.GetFiles(location.Directory).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray());
        }
    }
}
