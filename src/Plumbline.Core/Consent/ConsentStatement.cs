using System.Security.Cryptography;
using System.Text;

namespace Plumbline.Core.Consent;

/// <summary>The statement a contributor is shown when consent is recorded; its text and hash are kept with each version.</summary>
public static class ConsentStatement
{
    public const string Default =
        "I agree that Plumbline records the sources listed here from my work, and that what it records may be " +
        "used only for the uses listed here, not before the embargo date if one is set. I can pause recording, " +
        "review and redact what was recorded, change this consent, or withdraw at any time; a change applies to " +
        "every later export.";

    public static string Sha256(string statement) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(statement)));
}
