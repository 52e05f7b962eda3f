import pytest
from selenium.webdriver.common.by import By

from tests.e2e.admin import admin_sign_in


@pytest.mark.browser
def test_operator_signs_in_to_the_back_office_in_vietnamese(browser, live_server, operator):
    admin_sign_in(browser, live_server.url, operator)
    assert browser.find_element(By.ID, "site-name").text == "Sàn OCOP — Quản trị"
    # Django's own admin strings follow the browser's language too.
    assert browser.find_element(By.ID, "logout-form").text.casefold() == "thoát"
