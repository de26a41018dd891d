// The login page: show the error the form mechanism signals with ?error.
if (new URLSearchParams(window.location.search).has('error')) {
    document.getElementById('login-error').hidden = false;
}
