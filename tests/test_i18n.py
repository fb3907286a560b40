import httpx
from bs4 import BeautifulSoup


async def test_lang_query_switches_to_welsh_and_remembers_it(client: httpx.AsyncClient) -> None:
    response = await client.get("/?lang=cy")
    html = BeautifulSoup(response.text, "html.parser")
    assert html.find("html")["lang"] == "cy"
    assert html.find("h1").get_text(strip=True) == "Dewch o hyd i'ch cam nesaf"
    assert response.headers["content-language"] == "cy"
    assert "lang=cy" in response.headers["set-cookie"]
    switch = html.find("nav", class_="lang-switch").find("a")
    assert switch.get_text(strip=True) == "English" and switch["href"] == "/?lang=en"
    client.cookies.clear()


async def test_lang_cookie_and_accept_language_choose_welsh(client: httpx.AsyncClient) -> None:
    by_cookie = await client.get("/", headers={"Cookie": "lang=cy"})
    assert "Sut mae'n gweithio" in by_cookie.text
    by_header = await client.get("/", headers={"Accept-Language": "cy-GB,cy;q=0.9,en;q=0.5"})
    assert "Sut mae'n gweithio" in by_header.text
    assert "set-cookie" not in by_header.headers
    client.cookies.clear()
