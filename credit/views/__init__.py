"""The staff workspace (/workspace/): office dashboards, record entry and lists, the review queue and notices."""
