"""What the public sees of an entry, for tests that check no personal data leaks from any public rendering."""


def every_public_rendering(client, section: str, pk: int) -> str:
    """Entry ``pk`` of ``section`` as the detail page, the list, JSON and CSV open data and both feeds, joined."""
    pages = [
        client.get(f"/{section}/{pk}/").content.decode(),
        client.get(f"/{section}/").content.decode(),
        client.get(f"/api/v1/public/{section}/").content.decode(),
        b"".join(client.get(f"/api/v1/public/{section}.csv").streaming_content).decode(),
        client.get("/feed/rss/").content.decode(),
        client.get("/feed/atom/").content.decode(),
    ]
    return "\n".join(pages)
