"""The installable web app (cellmeet/offline.py, issue 24): the service worker is served
at the site's root as our own script, under the same strict policy, and the manifest
names the app."""

from django.urls import reverse


def test_the_service_worker_is_served_at_the_root_as_a_script(client):
    response = client.get(reverse("service_worker"))
    assert reverse("service_worker") == "/sw.js"
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    source = response.content.decode()
    assert 'addEventListener("fetch"' in source
    assert "importScripts" not in source and "http" not in source.replace("https", "")


def test_the_manifest_names_the_app_and_its_icon(client):
    response = client.get(reverse("web_manifest"))
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    assert manifest["icons"][0]["src"].startswith("/static/")


def test_pages_link_the_manifest(world, login):
    html = login(world.secretary).get(reverse("meetings:list")).content.decode()
    assert f'<link rel="manifest" href="{reverse("web_manifest")}">' in html
    assert 'id="offline-banner"' in html
