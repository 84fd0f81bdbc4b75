"""Staff pages for the campaign's public record: progress updates, meetings, milestones and
residents' questions, all from the portal rather than the admin."""
