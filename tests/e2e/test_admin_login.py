import pytest
from selenium.webdriver.common.by import By

from tests.accounts.factories import DEFAULT_PASSWORD


@pytest.mark.browser
def test_operator_signs_in_to_the_back_office_in_vietnamese(browser, live_server, operator):
    browser.get(f"{live_server.url}/admin/")
    browser.find_element(By.NAME, "username").send_keys(operator.email)
    browser.find_element(By.NAME, "password").send_keys(DEFAULT_PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    header = browser.find_element(By.ID, "site-name").text
    assert header == "Sàn OCOP — Quản trị"
    # Django's own admin strings follow the browser's language too.
    assert browser.find_element(By.ID, "logout-form").text.casefold() == "thoát"
