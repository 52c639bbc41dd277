using System.Globalization;
using Plumbline.Core.Capture;
using Plumbline.Core.Consent;
using Plumbline.Storage.Sharing;
using Plumbline.Storage.Withdrawal;

namespace Plumbline.Storage.Audit;

/// <summary>The audit entries of changes, built the same way by every caller (CLI, API).</summary>
public static class AuditEvents
{
    /// <summary>A new consent version of <paramref name="contributor"/>.</summary>
    public static AuditEvent ConsentChanged(string actor, string contributor, ConsentRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new AuditEvent(actor, AuditActions.ConsentChange, contributor, "consent", new
        {
            version = record.Version,
            sources = record.Terms.Sources.Order().Select(s => s.Name()),
            uses = record.Terms.Uses.Order().Select(ConsentTerms.Name),
            embargo = record.Terms.Embargo?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            recorded_by = record.RecordedBy,
        });
    }

    /// <summary>A withdrawal (the API's withdraw endpoint must record the same entry).</summary>
    public static AuditEvent Withdrew(string actor, WithdrawalResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new AuditEvent(actor, AuditActions.Withdrawal, result.Contributor, "withdrawal", new
        {
            withdrawal = result.Id,
            source = result.Source,
            edit_events = result.EditEvents,
            row_events = result.RowEvents,
            documents_deleted = result.DocumentsDeleted.Count,
            documents_masked = result.DocumentsMasked.Count,
            affected_exports = result.ExportsTouched.Select(e => e.Id),
        });
    }

    /// <summary>A grant or revocation (<paramref name="what"/>), recorded about the owner and about the grantee.</summary>
    public static IReadOnlyList<AuditEvent> Shared(string actor, string document, ShareView view, string what)
    {
        ArgumentNullException.ThrowIfNull(view);
        var detail = new { what, grantee = view.Grantee, role = DocumentSharing.RoleName(view.Role) };
        return [new AuditEvent(actor, AuditActions.Share, view.Owner, document, detail), new AuditEvent(actor, AuditActions.Share, view.Grantee, document, detail)];
    }
}
