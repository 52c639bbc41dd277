using System.Data.Common;

namespace Plumbline.Storage.Labels;

/// <summary>Row readers of the label tables, shared by both backends.</summary>
internal static class LabelRows
{
    public static LabelCampaign Campaign(DbDataReader r) => new(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt64(3));

    public static GuidelineVersion Guideline(DbDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3));

    public static CampaignAnswer Answer(DbDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), Text(r, 3), Text(r, 4), Text(r, 5));

    public static string? Text(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
