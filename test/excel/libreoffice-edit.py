# Edits cells of a spreadsheet the way a person does in LibreOffice Calc, headless, and saves it as .xlsx with
# LibreOffice's own Excel filter: python3 libreoffice-edit.py IN.xlsx OUT.xlsx SHEET!A1=text [SHEET!B2=text ...]
# Each text is entered as if typed (setFormula), so LibreOffice applies the cell's format to it.
# It starts its own soffice (a fresh profile in a temporary folder, a private pipe) and stops it afterwards.
import os, subprocess, sys, tempfile, time, uuid
import uno
from com.sun.star.beans import PropertyValue

def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p

def main():
    src, dst, edits = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]), sys.argv[3:]
    profile = tempfile.mkdtemp(prefix='beslis-lo-')
    pipe = 'beslis' + uuid.uuid4().hex
    office = subprocess.Popen(['soffice', '--headless', '--invisible', '--norestore', '--nologo', '--nodefault',
                               '-env:UserInstallation=file://' + profile, '--accept=pipe,name=%s;urp;' % pipe],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        resolver = uno.getComponentContext().ServiceManager.createInstanceWithContext(
            'com.sun.star.bridge.UnoUrlResolver', uno.getComponentContext())
        ctx = None
        deadline = time.time() + 90
        while ctx is None:
            try:
                ctx = resolver.resolve('uno:pipe,name=%s;urp;StarOffice.ComponentContext' % pipe)
            except Exception:
                if time.time() > deadline or office.poll() is not None:
                    raise SystemExit('LibreOffice did not start (soffice exited or took over 90 s)')
                time.sleep(0.3)
        desktop = ctx.ServiceManager.createInstanceWithContext('com.sun.star.frame.Desktop', ctx)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), '_blank', 0, (prop('Hidden', True),))
        for edit in edits:
            target, text = edit.split('=', 1)
            sheet, cell = target.split('!')
            doc.Sheets.getByName(sheet).getCellRangeByName(cell).setFormula(text)
        doc.storeToURL(uno.systemPathToFileUrl(dst), (prop('FilterName', 'Calc MS Excel 2007 XML'),))
        doc.close(True)
        try:
            desktop.terminate()
        except Exception:
            pass  # the bridge closes as soffice quits
    finally:
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()
        subprocess.run(['rm', '-rf', profile])

main()
