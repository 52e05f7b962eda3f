"""Steps an operator takes in the back office, for the browser tests."""

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.accounts.factories import DEFAULT_PASSWORD

# Generous: the machine may be busy; a step that never comes still fails.
WAIT_SECONDS = 30


def wait_for(browser, by, value):
    return WebDriverWait(browser, WAIT_SECONDS).until(ec.presence_of_element_located((by, value)))


def admin_sign_in(browser, base_url: str, user) -> None:
    browser.get(f"{base_url}/admin/login/?next=/admin/")
    wait_for(browser, By.NAME, "username").send_keys(user.email)
    browser.find_element(By.NAME, "password").send_keys(DEFAULT_PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    # Signed in once the logout form (only on pages behind login) is there.
    wait_for(browser, By.ID, "logout-form")


def run_changelist_action(browser, changelist_url: str, *, object_id: int, action: str) -> str:
    """Tick one row, pick an action, press the button; return the message shown."""
    browser.get(changelist_url)
    wait_for(browser, By.CSS_SELECTOR, f"input[name=_selected_action][value='{object_id}']").click()
    Select(browser.find_element(By.NAME, "action")).select_by_value(action)
    browser.find_element(By.CSS_SELECTOR, "button[name=index]").click()
    return wait_for(browser, By.CSS_SELECTOR, "ul.messagelist li").text
