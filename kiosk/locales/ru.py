"""Russian: the working language of most officers at the region's posts."""

MESSAGES = {
    # Verdicts and what they mean.
    "clear": "чисто",
    "review": "проверить",
    "alert": "тревога",
    "unreadable": "не прочитан",
    "verdict.clear": "Все применимые проверки выполнены и пройдены, нарушений не найдено",
    "Not compared with the page": "Не сравнивалось со страницей",
    "The toolkit could not compare these printed fields with the MRZ: compare them by eye.":
        "Эти напечатанные поля не удалось сравнить с МСЗ: сравните их на глаз.",
    "verdict.review": "Посмотрите внимательнее: это не признак подделки",
    "verdict.alert": "Признаки изменённых или недействительных данных",
    "verdict.unreadable": "МСЗ не найдена или не прочитана",
    # Where a screening came from.
    "source.hotfolder": "сканер (папка)",
    "source.upload": "загружен",
    "source.scanner": "сканер",
    "source.typed": "введено вручную",
    "source.api": "API",
    # Check outcomes.
    "status.pass": "пройдена",
    "status.fail": "не пройдена",
    "status.warn": "внимание",
    "status.skip": "не выполнена",
    # Roles.
    "officer": "инспектор",
    "supervisor": "старший смены",
    "trainer": "инструктор",
    "admin": "администратор",
    # Decisions.
    "admit": "пропустить",
    "refer": "на вторую линию",
    "refuse": "отказать",
    # MRZ fields (labels from screening.mrz.formats).
    "Document code": "Код документа",
    "Issuing state": "Государство выдачи",
    "Document number": "Номер документа",
    "Surname": "Фамилия",
    "Given names": "Имена",
    "Nationality": "Гражданство",
    "Date of birth": "Дата рождения",
    "Sex": "Пол",
    "Date of expiry": "Срок действия",
    "Optional data": "Доп. данные",
    "Optional data (line 2)": "Доп. данные (строка 2)",
    # Screens.
    "A folder with specimen images and answer_key.jsonl, as made by 'screening samples generate'.":
        "Папка с образцами документов и answer_key.jsonl (создаётся командой 'screening samples generate').",
    "A new scan has arrived.": "Поступил новый скан.",
    "Account unlocked.": "Учётная запись разблокирована.",
    "Add": "Добавить",
    "Add a user": "Добавить пользователя",
    "Admit": "Пропустить",
    "All checks": "Все проверки",
    "Answered": "Отвечено",
    "Back to the start": "На главную",
    "Blue: the MRZ as read. Red or amber: the fields with a problem.":
        "Синим: прочитанная МСЗ. Красным или жёлтым: поля с замечаниями.",
    "Characters the reader corrected using the check digits": "Символы, исправленные по контрольным цифрам",
    "Check typed MRZ": "Проверить введённую МСЗ",
    "Choose a file": "Выбрать файл",
    "Choose a scan to upload.": "Выберите файл скана.",
    "Correct": "Верно",
    "Data in the MRZ": "Данные МСЗ",
    "Decision": "Решение",
    "Decision recorded: ": "Решение записано: ",
    "Document": "Документ",
    "Document number or name": "Номер документа или имя",
    "Document screening": "Проверка документов",
    "Documents": "Документов",
    "Drop a scan here or choose a file": "Перетащите скан сюда или выберите файл",
    "Drop to screen": "Отпустите, чтобы проверить",
    "Expected": "Ожидалось",
    "Explanation": "Пояснение",
    "Error code": "Код ошибки",
    "Export CSV": "Выгрузить CSV",
    "File": "Файл",
    "Folder": "Папка",
    "History": "Журнал",
    "Keyboard": "Клавиши",
    "Kiosk": "Киоск",
    "Language": "Язык",
    "My score": "Мой результат",
    "Name": "Имя",
    "No MRZ found": "МСЗ не найдена",
    "No scanner folder is being watched.": "Папка сканера не отслеживается.",
    "No scanner program (SANE scanimage) is installed on this computer: use the scanner's own software with the watched folder, upload a file, or type the MRZ.":
        "Программа сканирования (SANE scanimage) не установлена: сохраняйте сканы программой сканера в отслеживаемую папку, загрузите файл или введите МСЗ вручную.",
    "No screenings found.": "Проверок не найдено.",
    "No training set is open yet. A trainer opens one.": "Учебных наборов пока нет. Набор открывает инструктор.",
    "Nobody has answered yet.": "Ответов пока нет.",
    "Note (optional)": "Примечание (необязательно)",
    "Nothing screened yet.": "Проверок ещё не было.",
    "Officer": "Инспектор",
    "Open": "Открыть",
    "Open a sample set": "Открыть учебный набор",
    "Opened by": "Открыл",
    "Password": "Пароль",
    "Press Enter to record “{decision}”, Esc to cancel.": "Нажмите Enter, чтобы записать «{decision}», Esc — отменить.",
    "Put the data page on the scanner, drop an image here, or type the MRZ.":
        "Положите страницу с данными на сканер, перетащите сюда изображение или введите МСЗ.",
    "Recent": "Последние",
    "Refer to second line": "На вторую линию",
    "Refuse": "Отказать",
    "Role": "Роль",
    "Scan": "Сканировать",
    "Scan the page again, or type the MRZ.": "Отсканируйте страницу ещё раз или введите МСЗ вручную.",
    "Scanning failed: ": "Сканирование не удалось: ",
    "Scans saved by the scanner appear here by themselves.": "Сканы, сохранённые сканером, появляются здесь сами.",
    "Screen": "Проверка",
    "Screen a document": "Проверить документ",
    "Search": "Найти",
    "Show it": "Показать",
    "Sign in": "Войти",
    "Sign out": "Выйти",
    "Source": "Источник",
    "Start or continue": "Начать или продолжить",
    "Status": "Состояние",
    "The answer key could not be read: ": "Не удалось прочитать ключ ответов: ",
    "The answer key lists no document found in the folder.": "В папке нет ни одного документа из ключа ответов.",
    "The document could not be read": "Документ не удалось прочитать",
    "{file} was not accepted: {reason}": "Файл {file} не принят: {reason}",
    "The image was deleted after the retention period.": "Изображение удалено по истечении срока хранения.",
    "The kiosk's screening": "Проверка киоска",
    "The log is intact": "Журнал не изменён",
    "The log was changed": "Журнал был изменён",
    "The log could not be checked": "Журнал не удалось проверить",
    "The log has no key yet: anyone who can write its database could recompute the chain.":
        "У журнала ещё нет ключа: любой, кто может записывать в его базу данных, мог бы пересчитать цепочку.",
    "Every record is sealed with the log key.": "Каждая запись заверена ключом журнала.",
    "Records from {number} on are sealed with the log key; the ones before were written before the log had a key.":
        "Записи начиная с {number} заверены ключом журнала; более ранние записаны до того, как у журнала появился ключ.",
    "Signed head": "Подписанная вершина журнала",
    "Keep this line away from this PC (save it, or print it for the log book). Checked against it later (screening kiosk verify-log --against FILE), the log shows whether every record up to now is still there, unchanged.":
        "Храните эту строку вне этого компьютера (сохраните её или распечатайте для журнала смены). При проверке по ней позже (screening kiosk verify-log --against FILE) видно, все ли записи до этого момента на месте и не изменены.",
    "The sample set could not be opened: ": "Не удалось открыть учебный набор: ",
    "This account is locked after repeated failed sign-ins. Try again later or ask an administrator.":
        "Учётная запись заблокирована после нескольких неудачных попыток входа. Повторите позже или обратитесь к администратору.",
    "This folder has no answer_key.jsonl.": "В этой папке нет answer_key.jsonl.",
    "Time": "Время",
    "Title": "Название",
    "Trainees": "Обучаемые",
    "Training": "Обучение",
    "Training set": "Учебный набор",
    "Training set opened.": "Учебный набор открыт.",
    "Type the MRZ instead.": "Введите МСЗ вручную.",
    "Type the MRZ lines first.": "Сначала введите строки МСЗ.",
    "Type the MRZ when the scan fails": "Ввести МСЗ вручную, если скан не читается",
    "Typed by the officer: no image.": "Введено инспектором: изображения нет.",
    "Unlock": "Разблокировать",
    "Upload and screen": "Загрузить и проверить",
    "User names are 1-64 letters, digits, '.', '_' or '-'.":
        "Имя пользователя: от 1 до 64 латинских букв, цифр, '.', '_' или '-'.",
    "Role must be one of: {roles}.": "Роль должна быть одной из: {roles}.",
    "Passwords need at least {count} characters.": "Пароль должен содержать не меньше {count} символов.",
    "A user named {name} already exists.": "Пользователь {name} уже существует.",
    "User added.": "Пользователь добавлен.",
    "User name": "Имя пользователя",
    "Users": "Пользователи",
    "Verdict": "Вердикт",
    "Verify the log": "Проверить журнал",
    "Waiting for a document": "Ожидание документа",
    "What is your verdict?": "Ваш вердикт?",
    "Why": "Почему",
    "Wrong user name or password.": "Неверное имя пользователя или пароль.",
    "Your score": "Ваш результат",
    "Your session ended after a period without activity. Please sign in again.":
        "Сеанс завершён из-за бездействия. Войдите снова.",
    "Your verdict": "Ваш вердикт",
    "active": "активна",
    "all checks": "все проверки",
    "cancel it": "отменить его",
    "answered": "отвечено",
    "failed": "не пройдено",
    "fields": "поля",
    "leave a text field": "выйти из поля ввода",
    "line": "строка",
    "locked until": "заблокирована до",
    "newest": "новейший",
    "next": "дальше",
    "not run": "не выполнено",
    "of": "из",
    "previous": "назад",
    "reading confidence": "уверенность чтения",
    "record the chosen decision": "записать выбранное решение",
    "records, every link of the hash chain checks.": "записей, все звенья цепочки хешей сходятся.",
    "right": "верно",
    "severity": "важность",
    "show the kiosk's screening to trainees": "показывать обучаемым проверку киоска",
    "warnings": "предупреждений",
    "with the kiosk's screening": "с проверкой киоска",
    "Specimen document": "Образец документа",
    "The scanned page": "Отсканированная страница",
}

MESSAGES.update({
    "Bad request": "Неверный запрос",
    "The form was incomplete or has expired. Go back, reload the page and try again.":
        "Форма неполная или устарела. Вернитесь, обновите страницу и повторите.",
    "Not allowed": "Нет доступа",
    "Your role does not allow this.": "Ваша роль этого не позволяет.",
    "Not found": "Не найдено",
    "There is nothing at this address.": "По этому адресу ничего нет.",
    "Gone": "Недоступно",
    "This training set's folder is no longer available.": "Папка этого учебного набора больше недоступна.",
    "File too large": "Файл слишком большой",
    "The file is larger than the kiosk accepts.": "Файл больше, чем принимает киоск.",
    "Error": "Ошибка",
    "Something went wrong.": "Что-то пошло не так.",
    "Answer this document to see the key.": "Ответьте на этот документ, чтобы увидеть ключ.",
})


def plural(n: int) -> int:
    """Which of the three Russian forms ``{n:plural:год|года|лет}`` takes: 1, 21 год; 2-4 года; 5-20 лет."""
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return 0
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return 1
    return 2


# --- The screening library's sentences ------------------------------------------------------
# Keys are the library's English templates (screening.text): check messages, reasons, error
# messages, and the words filled into them (field names, kinds of document, reasons a check
# could not run). A translation may use only the placeholders of its English template; it may
# choose a word by number with {n:plural:одна|две|пять}. Values from the document (names,
# numbers, dates, codes) are filled in as they are. tests/kiosk_tests/test_i18n.py checks that
# every template the library can emit is here.
MESSAGES.update({
    # Field names inside sentences (capitalised labels are above, with the MRZ fields).
    "Composite": "Итоговая контрольная цифра",
    "surname": "фамилия",
    "given names": "имена",
    "document number": "номер документа",
    "date of birth": "дата рождения",
    "date of expiry": "срок действия",
    "sex": "пол",
    "optional data": "доп. данные",
    "optional data (line 2)": "доп. данные (строка 2)",
    "document code": "код документа",
    "issuing state": "государство выдачи",
    "nationality": "гражданство",
    "name": "имя",
    "composite": "итоговая контрольная цифра",
    # Check digits.
    "{field} check digit": "Контрольная цифра поля «{field}»",
    "the {field} check digit": "контрольная цифра поля «{field}»",
    "Composite check digit": "Итоговая контрольная цифра",
    "the composite check digit": "итоговая контрольная цифра",
    "Document number check digit (long number run on into the optional data)":
        "Контрольная цифра номера документа (длинный номер продолжается в поле доп. данных)",
    "{what} is correct ({computed}).": "{what} верна ({computed}).",
    "{what} does not match (printed {printed}, computed {computed}).":
        "{what} не совпадает (напечатана {printed}, вычислена {computed}).",
    "{what} not verified: line {line} has the wrong length, so its position is uncertain.":
        "{what} не проверена: строка {line} неверной длины, поэтому положение цифры неточно.",
    "{what} not verified: the field holds characters that are not MRZ characters.":
        "{what} не проверена: в поле есть символы, недопустимые в МСЗ.",
    "Optional data is empty; '<' in place of its check digit is allowed.":
        "Поле доп. данных пустое; '<' вместо его контрольной цифры допускается.",
    # MRZ structure and characters.
    "{problems} Check the lines against the document.": "{problems} Сверьте строки с документом.",
    "{count} lines of the {format} layout.": "{count:plural:строка|строки|строк} формата {format}.",
    "Line {line} has {length} characters; a {format} line has {expected}. Fields after the first difference may be shifted.":
        "В строке {line} {length:plural:символ|символа|символов}, а в строке формата {format} их {expected}. "
        "Поля после первого расхождения могут быть сдвинуты.",
    "Every field holds only the characters it allows.": "Каждое поле содержит только допустимые символы.",
    "{field} has {char} at line {line}, position {position}; it allows only {allowed}.":
        "{field}: символ {char} в строке {line}, позиция {position}; здесь допустимы только {allowed}.",
    "letters A-Z and '<'": "буквы A–Z и '<'",
    "letters, digits and '<'": "буквы, цифры и '<'",
    "digits": "цифры",
    "a digit": "цифры",
    "M, F or '<'": "M, F или '<'",
    "digits and '<' for an unknown part": "цифры и '<' для неизвестной части",
    # Document code.
    "Document code {code} ({meaning}).": "Код документа {code} ({meaning}).",
    "Document code '{code}' is not valid for a {format} document (expected {expected}).":
        "Код документа '{code}' недопустим для документа формата {format} (ожидается {expected}).",
    "Document code {code}: a digit in the second place is not ICAO's rule, but some issuers print it (the USA's C1 and A3 cards). Not a sign of forgery on its own.":
        "Код документа {code}: цифра на втором месте не по правилам ИКАО, но некоторые государства её печатают "
        "(карты США C1 и A3). Сама по себе это не признак подделки.",
    "P followed by a letter or '<'": "P, затем буква или '<'",
    "A, C or I followed by a letter (not V) or '<'": "A, C или I, затем буква (не V) или '<'",
    "V followed by a letter or '<'": "V, затем буква или '<'",
    "ordinary passport": "обычный паспорт",
    "emergency passport": "временный паспорт",
    "diplomatic passport": "дипломатический паспорт",
    "official or service passport": "служебный паспорт",
    "refugee travel document": "проездной документ беженца",
    "travel document for aliens": "проездной документ для иностранцев",
    "stateless person's travel document": "проездной документ лица без гражданства",
    "laissez-passer": "лессе-пассе",
    "military passport": "военный паспорт",
    "passport": "паспорт",
    "passport of a national type": "паспорт национального образца",
    "crew member certificate": "удостоверение члена экипажа",
    "identity or travel document": "удостоверение личности или проездной документ",
    "visa": "виза",
    "French national identity card": "французское национальное удостоверение личности",
    # Fillers and names.
    "{problems}": "{problems}",
    "The document number field '{number}' has a filler inside the number.":
        "В поле номера документа '{number}' внутри номера стоит заполнитель '<'.",
    "The name has three or more fillers in a row between name parts.":
        "В имени между частями три или более заполнителя '<' подряд.",
    "The name has more than one '<<' separator.": "В имени больше одного разделителя '<<'.",
    "Fillers only where the layout allows them.": "Заполнители '<' только там, где их допускает формат.",
    "There is no primary identifier (surname); some issuers print a single name this way.":
        "Нет основного идентификатора (фамилии); некоторые государства так печатают единственное имя.",
    "The name fills the whole field and may be truncated: compare it with the visual zone.":
        "Имя занимает всё поле и может быть обрезано: сверьте его с визуальной зоной.",
    "Name read: {name}.": "Прочитано имя: {name}.",
    # State codes, dates, sex.
    "{field} not verified: its line has the wrong length.": "Поле «{field}» не проверено: строка неверной длины.",
    "{field} '{code}' ({name}) is a nationality, not an issuing authority.":
        "{field}: '{code}' ({name}) — код гражданства, а не государства или органа выдачи.",
    "{field} '{code}' is not a known state or organisation code.":
        "{field}: '{code}' — неизвестный код государства или организации.",
    "{field} is partly unknown ({raw}), as ICAO allows.": "{field} известна не полностью ({raw}), это допускает ИКАО.",
    "There is no date of expiry in the MRZ.": "В МСЗ нет даты окончания срока действия.",
    "{field} {raw} is not a real date: {reason}.": "{field}: {raw} — несуществующая дата: {reason}.",
    "{field} '{raw}' is not a date (YYMMDD digits).": "{field}: '{raw}' — не дата (нужны цифры ГГММДД).",
    "month {month} does not exist": "месяца {month} не существует",
    "day 00 does not exist": "дня 00 не существует",
    # The months appear only in this sentence, so they are in its case ("в феврале").
    "{month} {year} has no day {day}": "в {month} {year} года нет {day}-го числа",
    "January": "январе", "February": "феврале", "March": "марте", "April": "апреле", "May": "мае", "June": "июне",
    "July": "июле", "August": "августе", "September": "сентябре", "October": "октябре", "November": "ноябре",
    "December": "декабре",
    "Sex {sex}.": "Пол {sex}.",
    "Sex unspecified ('<'; the page prints X).": "Пол не указан ('<'; на странице печатается X).",
    "Sex is 'X' in the MRZ: ICAO writes '<' there, but some issuers print X. Not a sign of forgery.":
        "Пол в МСЗ 'X': по ИКАО там пишется '<', но некоторые государства печатают X. Это не признак подделки.",
    "Sex '{sex}' is not a valid value (M, F or '<').": "Пол '{sex}' — недопустимое значение (M, F или '<').",
    "Sex not verified: its line has the wrong length.": "Пол не проверен: строка неверной длины.",
    "Date of birth is before date of expiry.": "Дата рождения раньше даты окончания срока действия.",
    "Date of birth {birth} is not before date of expiry {expiry}.":
        "Дата рождения {birth} не раньше даты окончания срока действия {expiry}.",
    "The holder is {age:plural:year|years} old.": "Владельцу {age:plural:год|года|лет}.",
    "The holder (born {birth}) would be {age:plural:year|years} old when the document expires: check the date of birth.":
        "Владельцу (дата рождения {birth}) к окончанию срока действия документа будет {age:plural:год|года|лет}: "
        "проверьте дату рождения.",
    # Status: expiry, specimens, validity period.
    "Valid until {date}.": "Действителен до {date}.",
    "The document expired on {date} ({ago}).": "Срок действия документа истёк {date} ({ago}).",
    "{years:plural:year|years} ago": "{years:plural:год|года|лет} назад",
    "{days:plural:day|days} ago": "{days:plural:день|дня|дней} назад",
    "The document expires in {days:plural:day|days}.":
        "Срок действия документа истекает через {days:plural:день|дня|дней}.",
    "Specimen document, not a genuine one: {reasons}.": "Образец документа, а не подлинный документ: {reasons}.",
    "No specimen marks in the MRZ.": "Признаков образца в МСЗ нет.",
    "state code {code} ({name})": "код государства {code} ({name})",
    "ICAO's fictional Utopia": "вымышленная Утопия ИКАО",
    "issuer XXA, which no authority issues under": "государство выдачи XXA, под этим кодом документы никто не выдаёт",
    "number {number} ({what})": "номер {number} ({what})",
    "ICAO's specimen passport, Doc 9303 Part 4": "образец паспорта ИКАО, Doc 9303, часть 4",
    "ICAO's specimen card, Doc 9303 Parts 5-6": "образец карты ИКАО, Doc 9303, части 5–6",
    "ICAO's specimen card with a long number, Doc 9303 Part 5": "образец карты ИКАО с длинным номером, Doc 9303, часть 5",
    "ICAO's specimen visa, Doc 9303 Part 7": "образец визы ИКАО, Doc 9303, часть 7",
    "Expiry within the {years}-year validity of this kind of document.":
        "Срок действия не превышает предельного для документов этого вида ({years:plural:год|года|лет}).",
    # {kind} is what the issuer "выдаёт": accusative.
    "Valid until {date}: more than {years:plural:year|years} from today, longer than {issuer} issues {kind} for.":
        "Действителен до {date}: более {years:plural:года|лет|лет} от сегодняшнего дня — больше срока, на который {issuer} "
        "выдаёт {kind}.",
    "Valid until {date}: more than {years:plural:year|years} from today, longer than {issuer} issues {kind} for. The limit is not confirmed, so this is a notice only.":
        "Действителен до {date}: более {years:plural:года|лет|лет} от сегодняшнего дня — больше срока, на который {issuer} "
        "выдаёт {kind}. Предел не подтверждён, поэтому это только уведомление.",
    "a passport": "паспорт",
    "an id card": "удостоверение личности",
    "a visa": "визу",
    # National personal numbers.
    "IIN (individual identification number)": "ИИН (индивидуальный идентификационный номер)",
    "PINFL (personal identification number)": "ПИНФЛ (персональный идентификационный номер физического лица)",
    "{issuer} {rule} {number} is consistent with the MRZ.": "{issuer} {rule} {number} согласуется с МСЗ.",
    "{issuer} {rule} {number}: {problems}.": "{issuer} {rule} {number}: {problems}.",
    "{issuer} {rule} {number}: {problems} (the rule is not confirmed: a notice only).":
        "{issuer} {rule} {number}: {problems} (правило не подтверждено: только уведомление).",
    "no valid check digit exists for its first digits": "для его первых цифр не существует допустимой контрольной цифры",
    "its check digit is {printed}, computed {computed}": "его контрольная цифра {printed}, вычислена {computed}",
    "its century/sex digit {digit} is not 1-6": "его цифра века и пола {digit} — не от 1 до 6",
    "it gives the date of birth as {number_date} (YYMMDD), the MRZ as {mrz_date}":
        "дата рождения в нём {number_date} (ГГММДД), а в МСЗ {mrz_date}",
    "it gives sex {number_sex}, the MRZ {mrz_sex}": "пол в нём {number_sex}, а в МСЗ {mrz_sex}",
    # Reading.
    "Every character read with confidence (mean {mean}).": "Все символы прочитаны уверенно (в среднем {mean}).",
    "Some characters were hard to read ({where}): compare the MRZ with the document.":
        "Некоторые символы прочитаны неуверенно ({where}): сверьте МСЗ с документом.",
    "Some characters were hard to read ({where} and {more} more): compare the MRZ with the document.":
        "Некоторые символы прочитаны неуверенно ({where} и ещё {more}): сверьте МСЗ с документом.",
    "The MRZ was read unsurely as a whole (mean confidence {mean}): compare the MRZ with the document.":
        "МСЗ в целом прочитана неуверенно (в среднем {mean}): сверьте МСЗ с документом.",
    "line {line} position {position} ('{char}')": "строка {line}, позиция {position} ('{char}')",
    "The {engine} engine gives no confidence for each character, so the characters it may have misread are not "
    "known: compare the MRZ with the document.":
        "Модуль распознавания {engine} не даёт уверенности для каждого символа, поэтому неизвестно, какие символы "
        "он мог прочитать неверно: сверьте МСЗ с документом.",
    "{finding} The MRZ was read by the {engine} engine, which cannot tell a misread character from a printed error: "
    "read the image again with the default engine, or compare the MRZ with the document by eye.":
        "{finding} МСЗ прочитана модулем распознавания {engine}, который не отличает ошибку чтения от ошибки "
        "печати: прочитайте изображение заново модулем по умолчанию или сверьте МСЗ с документом на глаз.",
    "{count:plural:character|characters} corrected: {corrections}.":
        "{count:plural:символ исправлен|символа исправлено|символов исправлено}: {corrections}.",
    "line {line} position {position}: {reason}": "строка {line}, позиция {position}: {reason}",
    "'{read}' cannot stand here ({field}); read as '{chosen}'": "'{read}' здесь недопустим ({field}); прочитано как '{chosen}'",
    "unsure between '{read}' and '{chosen}'; {what} holds only with '{chosen}'":
        "сомнение между '{read}' и '{chosen}'; {what} сходится только с '{chosen}'",
    "unsure between '{read}' and '{chosen}'; only '{code}' is a known code for {field}":
        "сомнение между '{read}' и '{chosen}'; для поля «{field}» известен только код '{code}'",
    "unsure between '{read}' and '{chosen}' and no check digit covers it; read again from {count} other cuts of the character: '{chosen}'":
        "сомнение между '{read}' и '{chosen}', контрольной цифры нет; символ прочитан ещё раз по {count} другим вырезкам: '{chosen}'",
    # Watch list.
    "The document number is not on the watch list.": "Номера документа нет в стоп-листе.",
    "No watch list has been imported on this computer (screening watchlist import FILE.csv).":
        "Стоп-лист на этот компьютер не загружен (screening watchlist import FILE.csv).",
    "The watch list could not be read ({error}).": "Не удалось прочитать стоп-лист ({error}).",
    "Document number {number} ({issuer}) is on the watch list: {entry}.":
        "Номер документа {number} ({issuer}) есть в стоп-листе: {entry}.",
    "Document number {number} differs by one look-alike character from a watch-listed number ({listed}): compare the number on the page with the MRZ.":
        "Номер документа {number} отличается одним похожим символом от номера из стоп-листа ({listed}): "
        "сверьте номер на странице с МСЗ.",
    "since {date}": "с {date}",
    "(source: {source})": "(источник: {source})",
    # Print forensics.
    "The MRZ lines are printed alike ({measures}).": "Строки МСЗ напечатаны одинаково ({measures}).",
    "The MRZ lines are not printed alike, as when a line is pasted in or re-printed: {problems}.":
        "Строки МСЗ напечатаны по-разному, как бывает, когда строку вклеили или перепечатали: {problems}.",
    "line {line}: pitch {pitch} mm, height {height} mm, slope {slope}°":
        "строка {line}: шаг {pitch} мм, высота {height} мм, наклон {slope}°",
    "line {line} has a pitch of {pitch} mm per character, the other line {others} mm (measuring error ±{error} mm; ICAO: {icao} mm)":
        "у строки {line} шаг {pitch} мм на символ, у другой строки {others} мм (погрешность измерения ±{error} мм; "
        "ИКАО: {icao} мм)",
    "line {line} has a pitch of {pitch} mm per character, the other lines {others} mm (measuring error ±{error} mm; ICAO: {icao} mm)":
        "у строки {line} шаг {pitch} мм на символ, у остальных строк {others} мм (погрешность измерения ±{error} мм; "
        "ИКАО: {icao} мм)",
    "the characters of lines 1 and 2 are {first} mm and {second} mm high (measuring error ±{error} mm)":
        "высота символов строк 1 и 2 — {first} мм и {second} мм (погрешность измерения ±{error} мм)",
    "line {line} has characters {height} mm high, the other lines {others} mm (measuring error ±{error} mm)":
        "высота символов строки {line} — {height} мм, у остальных строк {others} мм (погрешность измерения ±{error} мм)",
    "the baselines of lines 1 and 2 are not parallel (they differ by {angle}°, measuring error ±{error}°)":
        "базовые линии строк 1 и 2 не параллельны (расходятся на {angle}°, погрешность измерения ±{error}°)",
    "line {line}'s baseline slopes by {angle}° against the other lines (measuring error ±{error}°)":
        "базовая линия строки {line} наклонена на {angle}° относительно остальных строк (погрешность измерения "
        "±{error}°)",
    "the characters of line {line} not matched to their positions (likeness {likeness})":
        "символы строки {line} не сопоставлены со своими позициями (сходство {likeness})",
    "characters {px} pixels high (at least {min} needed)": "высота символов {px} пикселей (нужно не меньше {min})",
    "edges blurred over {px} pixels (at most {max})": "края размыты на {px} пикселя (допустимо не больше {max})",
    "a perspective of {share} % along the lines (at most {max} %)":
        "перспективное искажение {share} % вдоль строк (допустимо не больше {max} %)",
    "baselines apart as a whole but not over both halves of the line (left {left}°, right {right}°): a page that "
    "curves bends them so":
        "базовые линии расходятся в целом, но не на обеих половинах строки (слева {left}°, справа {right}°): так их "
        "изгибает неплоская страница",
    "a perspective of {share} % along the lines (a line's sideways place is judged up to {max} %)":
        "перспективное искажение {share} % вдоль строк (смещение строки в сторону оценивается только до {max} %)",
    "a perspective of {share} % along the lines (a pitch that a keystone across them could explain in part is judged "
    "up to {max} %)":
        "перспективное искажение {share} % вдоль строк (шаг, который отчасти может объяснить трапецеидальное "
        "искажение поперёк строк, оценивается только до {max} %)",
    "line {line} is set {mm} mm to the right of the other lines (its start and its middle; measuring error ±{error} mm)":
        "строка {line} смещена на {mm} мм вправо относительно остальных строк (её начало и середина; погрешность "
        "измерения ±{error} мм)",
    "line {line} is set {mm} mm to the left of the other lines (its start and its middle; measuring error ±{error} mm)":
        "строка {line} смещена на {mm} мм влево относительно остальных строк (её начало и середина; погрешность "
        "измерения ±{error} мм)",
    "characters scattered by {share} % of their height about their baselines (at most {max} %)":
        "разброс символов относительно базовых линий {share} % их высоты (допустимо не больше {max} %)",
    "the hand shook (a motion blur of {px} pixels at {angle}°)":
        "рука дрогнула (смаз на {px} пикселей под углом {angle}°)",
    "characters measured at {share} % of their pitch or less (the cut missed the print)":
        "высота символов измерена как {share} % их шага или меньше (вырез не попал на печать)",
    "a pitch to character height of {ratio}, where OCR-B at 10 characters per inch gives about 0.9-1.1 ({measures})":
        "отношение шага к высоте символа {ratio}, тогда как у OCR-B при 10 символах на дюйм около 0,9-1,1 ({measures})",
    "The capture is too poor to judge the print ({capture}): it shows {seen}; compare the MRZ lines by eye.":
        "Качество снимка недостаточно, чтобы судить о печати ({capture}): на нём {seen}; сравните строки МСЗ "
        "визуально.",
    "a difference of {difference} in likeness, within what a genuine line of letters and one of digits were seen to "
    "differ on a photo (an alert from {floor})":
        "разница в сходстве {difference} — в пределах того, насколько подлинные строки из букв и из цифр "
        "различались на фотографии (тревога — от {floor})",
    "MRZ line {line} less like OCR-B than the others (likeness to OCR-B glyphs: {figures}; measuring error ±{error})":
        "строка {line} МСЗ меньше похожа на OCR-B, чем остальные (сходство с символами OCR-B: {figures}; "
        "погрешность измерения ±{error})",
    "the lines are unevenly spaced ({first} mm and {second} mm between baselines)":
        "строки расположены неравномерно ({first} мм и {second} мм между базовыми линиями)",
    "The MRZ glyphs match OCR-B alike on every line ({figures}).":
        "Символы МСЗ одинаково соответствуют шрифту OCR-B во всех строках ({figures}).",
    "MRZ line {line} does not look like OCR-B as the other lines do (likeness to OCR-B glyphs: {figures}; measuring error ±{error}): another font was used.":
        "Строка {line} МСЗ, в отличие от остальных, не похожа на OCR-B (сходство с символами OCR-B: {figures}; "
        "погрешность измерения ±{error}): использован другой шрифт.",
    "line {line} {likeness}": "строка {line}: {likeness}",
    "Too few characters could be compared with OCR-B. Compare the MRZ lines by eye.":
        "Слишком мало символов удалось сравнить со шрифтом OCR-B. Сравните строки МСЗ визуально.",
    "Pitch to character height {ratio}, as OCR-B at 10 per inch.":
        "Отношение шага к высоте символов {ratio}, как у OCR-B при 10 символах на дюйм.",
    "Pitch to character height is {ratio}; OCR-B at 10 characters per inch gives about 0.9-1.1 ({measures}).":
        "Отношение шага к высоте символов {ratio}; у OCR-B при 10 символах на дюйм оно около 0.9–1.1 ({measures}).",
    "The MRZ print could not be measured: {reason}. Compare the MRZ lines by eye.":
        "Печать МСЗ не удалось измерить: {reason}. Сравните строки МСЗ визуально.",
    "The MRZ print could not be measured ({error}). Compare the MRZ lines by eye.":
        "Печать МСЗ не удалось измерить ({error}). Сравните строки МСЗ визуально.",
    "the MRZ outline is too small to measure": "контур МСЗ слишком мал для измерения",
    "the {count} MRZ lines could not be told apart in the image":
        "строки МСЗ ({count}) не удалось разделить на изображении",
    "too few characters could be seen on an MRZ line ({seen} of {count})":
        "в строке МСЗ различимо слишком мало символов ({seen} из {count})",
    "too few capital letters or digits on an MRZ line to measure":
        "в строке МСЗ слишком мало заглавных букв или цифр для измерения",
    # The visual zone.
    "not compared with the page: {names}; compare them by eye": "не сравнивалось со страницей: {names}; сравните на глаз",
    "all {count} checks passed": "все проверки пройдены ({count})",
    "{passed} of {count} checks passed; {notices} notices; {skipped} not run, none that bears on the verdict":
        "пройдено проверок: {passed} из {count}; замечаний: {notices}; не выполнено: {skipped}, ни одна не влияет на "
        "итог",
    "The page prints the {field} {printed}, as the MRZ.": "На странице поле «{field}»: {printed}, как в МСЗ.",
    "The page prints the document number {number}, as the MRZ.": "На странице номер документа {number}, как в МСЗ.",
    "The page prints the {field} {printed}, as the MRZ (read again with Tesseract's {model} model).":
        "На странице поле «{field}»: {printed}, как в МСЗ (прочитано повторно моделью Tesseract {model}).",
    "The page prints the {field} {printed}, as the MRZ (read twice).":
        "На странице поле «{field}»: {printed}, как в МСЗ (прочитано дважды).",
    "The {field} differs: the MRZ says {mrz}, the page prints {printed} (read twice, letter for letter).":
        "Поле «{field}» не совпадает: в МСЗ {mrz}, на странице {printed} (прочитано дважды, буква в букву).",
    "The page prints sex {sex}, as the MRZ.": "На странице пол {sex}, как в МСЗ.",
    "The {field} differs: the MRZ says {mrz}, the page prints {printed}.":
        "Поле «{field}» не совпадает: в МСЗ {mrz}, на странице {printed}.",
    "The {field} differs: the MRZ says {mrz} ({raw}), the page prints {printed}.":
        "Поле «{field}» не совпадает: в МСЗ {mrz} ({raw}), на странице {printed}.",
    "The {field} differs: the MRZ says {mrz} ({raw}), the page prints {printed} as Tesseract reads it, {own} as our own recogniser does: either way not the MRZ's.":
        "Поле «{field}» не совпадает: в МСЗ {mrz} ({raw}), на странице {printed} по прочтению Tesseract и {own} по "
        "прочтению нашего распознавателя: в обоих случаях не то, что в МСЗ.",
    "The document number differs: the MRZ says {mrz}, the page prints {printed}.":
        "Номер документа не совпадает: в МСЗ {mrz}, на странице {printed}.",
    "The sex differs: the MRZ says {mrz}, the page prints {printed}.":
        "Пол не совпадает: в МСЗ {mrz}, на странице {printed}.",
    "The page prints the {field} {printed}; the MRZ's {mrz} differs from it only where the MRZ spells a letter with a "
    "diacritic (Ä as AE, Ö as OE, Ü as UE, Å as AA), which the reading may have lost. Compare it by eye.":
        "Поле «{field}» на странице: {printed}; в МСЗ {mrz} — отличается только там, где МСЗ передаёт букву с "
        "диакритическим знаком (Ä как AE, Ö как OE, Ü как UE, Å как AA), а при чтении знак мог потеряться. "
        "Сравните на глаз.",
    "The light-set name pattern {regex} is no regular expression: {error}.":
        "Шаблон имён снимков {regex} не является регулярным выражением: {error}.",
    "The light-set name pattern {regex} needs the named groups (?P<stem>...) and (?P<light>...).":
        "Шаблону имён снимков {regex} нужны именованные группы (?P<stem>...) и (?P<light>...).",
    "The {field} could not be found on the page (no label read): not compared. Compare it by eye.":
        "Поле «{field}» не найдено на странице (подпись не прочитана): не сравнивалось. Сравните на глаз.",
    "The {field} on the page ({printed}) was not read clearly enough to compare with the MRZ ({mrz}). Compare it by eye.":
        "Поле «{field}» на странице ({printed}) прочитано недостаточно чётко для сравнения с МСЗ ({mrz}). Сравните на глаз.",
    "The {field} on the page ({printed}) was not read clearly enough to compare with the MRZ. Compare it by eye.":
        "Поле «{field}» на странице ({printed}) прочитано недостаточно чётко для сравнения с МСЗ. Сравните на глаз.",
    "The document number on the page ({printed}) was not read clearly enough to compare with the MRZ ({mrz}). Compare it by eye.":
        "Номер документа на странице ({printed}) прочитан недостаточно чётко для сравнения с МСЗ ({mrz}). Сравните на глаз.",
    "The {field} on the page ({printed}) is not a date that could be read: not compared. Compare it by eye.":
        "Поле «{field}» на странице ({printed}) не читается как дата: не сравнивалось. Сравните на глаз.",
    "The {field} on the page ({printed}) is no real day, probably misread: not compared. Compare it by eye.":
        "Поле «{field}» на странице ({printed}) — несуществующая дата, вероятно, ошибка чтения: не сравнивалось. Сравните на глаз.",
    "The {field} could not be found on the page (the line under its label is no name): not compared. Compare it by eye.":
        "Поле «{field}» не найдено на странице (под подписью не имя): не сравнивалось. Сравните на глаз.",
    "The page prints the date of birth {printed} (the only date long before the document's validity; its label was not read), as the MRZ.":
        "На странице дата рождения {printed} (единственная дата задолго до срока действия документа; подпись не "
        "прочитана), как в МСЗ.",
    "The date of birth differs: the MRZ says {mrz} ({raw}), the page prints {printed} (the only date long before the document's validity; its label was not read).":
        "Дата рождения не совпадает: в МСЗ {mrz} ({raw}), на странице {printed} (единственная дата задолго до срока "
        "действия документа; подпись не прочитана).",
    "The date of birth differs: the MRZ says {mrz} ({raw}), the page prints {printed} (the only date long before the document's validity, its label not read; read so by Tesseract and by our own recogniser).":
        "Дата рождения не совпадает: в МСЗ {mrz} ({raw}), на странице {printed} (единственная дата задолго до срока "
        "действия документа, подпись не прочитана; так её прочитали и Tesseract, и наш собственный распознаватель).",
    "The MRZ print could not be measured reliably (pitch to character height {ratio}): lines not compared. Compare "
    "them by eye.":
        "Печать МСЗ не удалось надёжно измерить (отношение шага к высоте символа {ratio}): строки не сравнивались. "
        "Сравните их визуально.",
    "the lines are too close ({gap} mm between baselines, {ratio} character heights; printed MRZs keep about 2 or more)":
        "строки слишком близко друг к другу ({gap} мм между базовыми линиями, {ratio} высоты символа; в напечатанных "
        "МСЗ около 2 и больше)",
    "This check could not be completed (internal error: {error}); please report it.":
        "Проверку не удалось завершить (внутренняя ошибка: {error}); сообщите, пожалуйста, об этом.",
    "The sex on the page ({printed}) could not be read: not compared. Compare it by eye.":
        "Пол на странице ({printed}) не прочитан: не сравнивался. Сравните на глаз.",
    "The sex on the page ({printed}) may be a man's initial (Kazakh ер, Uzbek erkak, Turkmen erkek) or a misread F: "
    "not compared. Compare it by eye.":
        "Пол на странице ({printed}) может быть начальной буквой мужского пола (каз. ер, узб. erkak, туркм. erkek) или "
        "неверно прочитанной F: не сравнивался. Сравните на глаз.",
    "The sex on the page was not read clearly enough to compare. Compare it by eye.":
        "Пол на странице прочитан недостаточно чётко для сравнения. Сравните на глаз.",
    "The page is overprinted {marks}: a specimen, not a travel document.":
        "На странице надпечатка {marks}: это образец, а не проездной документ.",
    "No specimen overprint was read on the page.": "Надпечатки «образец» на странице не обнаружено.",
    "No specimen overprint was read in the {read} lines read (every field agreed; {unread} other lines were not read).":
        "В прочитанных строках ({read}) надпечатки «образец» не обнаружено (все поля совпали; остальные строки "
        "({unread}) не читались).",
    "No specimen overprint was read in the {read} lines read (a field disagrees; {unread} other lines were not "
    "read).":
        "В прочитанных строках ({read}) надпечатки «образец» не обнаружено (поле не совпадает; остальные строки "
        "({unread}) не читались).",
    "The visual zone could not be compared with the MRZ: {reason}. Not compared: {names}; compare them by eye.":
        "Визуальную зону не удалось сравнить с МСЗ: {reason}. Не сравнивались: {names}; сравните их на глаз.",
    "The visual zone could not be read: {reason}. Not compared: {names}; compare them by eye.":
        "Визуальную зону не удалось прочитать: {reason}. Не сравнивались: {names}; сравните их на глаз.",
    "The visual zone could not be read ({error}). Not compared: {names}; compare them by eye.":
        "Визуальную зону не удалось прочитать ({error}). Не сравнивались: {names}; сравните их на глаз.",
    "{difference} The reading is not sure enough for an alert (its label was not read clearly): compare it by eye.":
        "{difference} Прочитано недостаточно надёжно для тревоги (подпись не прочитана чётко): сравните на глаз.",
    "the MRZ outline is too small to place the visual zone":
        "контур МСЗ слишком мал, чтобы определить положение визуальной зоны",
    "there is no visual zone above the MRZ in the image": "на изображении над МСЗ нет визуальной зоны",
    "no printed text was found above the MRZ": "над МСЗ не найдено печатного текста",
    # Whole documents: nothing to read, files that cannot be opened, typed text that is no MRZ.
    "No MRZ was found in the image: check the page is the data page, or type the MRZ.":
        "МСЗ на изображении не найдена: проверьте, что это страница с данными, или введите МСЗ вручную.",
    "No MRZ text was given.": "Текст МСЗ не введён.",
    "An MRZ has 2 or 3 lines; this text has {count}. Type each MRZ line on its own line.":
        "В МСЗ 2 или 3 строки, а в этом тексте {count:plural:строка|строки|строк}. "
        "Вводите каждую строку МСЗ с новой строки.",
    "The lines are {lengths} characters long; no MRZ layout fits (TD1: 3 x 30, TD2 and MRV-B: 2 x 36, TD3 and MRV-A: 2 x 44).":
        "Длина строк (символов): {lengths}; ни один формат МСЗ не подходит "
        "(TD1: 3 × 30, TD2 и MRV-B: 2 × 36, TD3 и MRV-A: 2 × 44).",
    "Cannot open {file}: {error}.": "Не удаётся открыть {file}: {error}.",
    "{file} is a folder, not a file: to screen every document in a folder, run `screening audit FOLDER --out REPORT_DIR`.":
        "{file} — папка, а не файл: чтобы проверить все документы в папке, запустите "
        "`screening audit ПАПКА --out ПАПКА_ОТЧЁТА`.",
    "{file} is empty (0 bytes).": "Файл {file} пуст (0 байт).",
    "{file} is {size} MB; the limit is {limit} MB.": "Файл {file} — {size} МБ; предел {limit} МБ.",
    "{file} is {width} x {height} pixels; the limit is {limit} million pixels.":
        "Изображение {file} — {width} × {height} пикселей; предел {limit} млн пикселей.",
    "{file} is too large to open safely (over {limit} million pixels).":
        "Файл {file} слишком велик, чтобы безопасно его открыть (более {limit} млн пикселей).",
    "{file} is not an image this toolkit can read (JPEG, PNG, TIFF, BMP, WebP or PDF).":
        "Файл {file} — не изображение, которое можно прочитать (JPEG, PNG, TIFF, BMP, WebP или PDF).",
    "{file} is truncated or damaged: {error}.": "Файл {file} обрезан или повреждён: {error}.",
    "{file} could not be decoded: {error}.": "Файл {file} не удалось декодировать: {error}.",
    "{file} is a password-protected PDF; open it and save it without a password.":
        "Файл {file} — PDF с паролем; откройте его и сохраните без пароля.",
    "{file} is not a readable PDF: {error}.": "Файл {file} — нечитаемый PDF: {error}.",
    "{file} is a PDF with no pages.": "{file} — PDF без страниц.",
    "{file} is not a readable PDF (it may have no pages).": "{file} — нечитаемый PDF (возможно, в нём нет страниц).",
    "{file}'s pages hold more than {limit} million pixels in all: too large to open safely.":
        "На страницах файла {file} в сумме больше {limit} млн пикселей: открывать его небезопасно.",
    "{file}: a page could not be rendered: {error}.": "{file}: не удалось отрисовать страницу: {error}.",
    "Cannot read {file}: {error}.": "Не удаётся прочитать {file}: {error}.",
    "{file} is an array of {dtype} with shape {shape}; an image array is uint8, uint16 or bool, shaped (height, width) or (height, width, 1, 3 or 4 channels).":
        "{file} — массив {dtype} формы {shape}; массив изображения должен быть uint8, uint16 или bool "
        "формы (высота, ширина) или (высота, ширина, 1, 3 или 4 канала).",
    "{file} is an empty image array (shape {shape}).": "{file} — пустой массив изображения (форма {shape}).",
    "The recogniser model {path} is damaged: reinstall the package.":
        "Модель распознавания {path} повреждена: переустановите пакет.",
    "The passporteye engine is not installed: pip install 'screening[peers]'.":
        "Модуль passporteye не установлен: pip install 'screening[peers]'.",
    "The recogniser model {path} is missing: run tools/train_ocrb.py.":
        "Модель распознавания {path} отсутствует: запустите tools/train_ocrb.py.",
    "The visual zone's line model {path} is missing: run tools/train_viz.py.":
        "Модель чтения строк визуальной зоны {path} отсутствует: запустите tools/train_viz.py.",
    "The visual zone's line model {path} is damaged: reinstall the package.":
        "Модель чтения строк визуальной зоны {path} повреждена: переустановите пакет.",
    "Tesseract is not installed: on Debian/Ubuntu run `apt-get install tesseract-ocr` (or `make`).":
        "Tesseract не установлен: в Debian/Ubuntu выполните `apt-get install tesseract-ocr` (или `make`).",
    "Tesseract did not finish in {seconds} s: {error}": "Tesseract не закончил работу за {seconds} с: {error}",
    "Tesseract failed: {error}": "Ошибка Tesseract: {error}",
    "Tesseract's {lang} data could not be loaded: {error} (apt-get install tesseract-ocr-eng tesseract-ocr-rus)":
        "Не удалось загрузить данные Tesseract для языка {lang}: {error} "
        "(apt-get install tesseract-ocr-eng tesseract-ocr-rus)",
    # The kiosk's own intake and scanner.
    "This kind of file ({suffix}) is not a scan the kiosk can read: save scans as JPEG, PNG, TIFF or PDF.":
        "Файлы этого типа ({suffix}) киоск не читает: сохраняйте сканы в JPEG, PNG, TIFF или PDF.",
    "This kind of file (no extension) is not a scan the kiosk can read: save scans as JPEG, PNG, TIFF or PDF.":
        "Файлы без расширения киоск не читает: сохраняйте сканы в JPEG, PNG, TIFF или PDF.",
    "Files of this type cannot be screened. Allowed: {allowed}.":
        "Файлы этого типа проверить нельзя. Допустимые: {allowed}.",
    "No scanner program (SANE's scanimage) is installed on this computer.":
        "Программа сканирования (scanimage из SANE) на этом компьютере не установлена.",
    "The scanner did not finish within the time allowed.": "Сканер не закончил работу за отведённое время.",
    "The scanner program could not be started ({error}).": "Не удалось запустить программу сканирования ({error}).",
    "The scanner reported a problem: {detail}": "Сканер сообщил о проблеме: {detail}",
    "The scanner reported a problem: no image": "Сканер сообщил о проблеме: нет изображения",
})

MESSAGES.update({
    "Watch list": "Список розыска",
    "Documents listed as lost, stolen or revoked: {count}; last loaded {date} from {file}.":
        "Документов в списке утраченных, похищенных и аннулированных: {count}; последняя загрузка {date} из {file}.",
    "No watch list is loaded: documents are not checked against lost and stolen lists.":
        "Список розыска не загружен: документы не сверяются со списками утраченных и похищенных.",
    "Load a list": "Загрузить список",
    "A CSV file with the columns issuing_state, document_number, reason, source, date (one document a row; a header row is optional). Rows are added to the list; a document already listed is updated.":
        "Файл CSV со столбцами issuing_state, document_number, reason, source, date (один документ в строке; "
        "строка заголовка необязательна). Строки добавляются в список; документ, который уже есть в списке, обновляется.",
    "CSV file (at most {size} MB)": "Файл CSV (не более {size} МБ)",
    "Load": "Загрузить",
    "Loaded": "Загружено",
    "Time (UTC)": "Время (UTC)",
    "Entries": "Записей",
    "Rows skipped": "Пропущено строк",
    "By": "Кем",
    "Choose a CSV file of the watch list.": "Выберите файл CSV со списком розыска.",
    "The watch list must be a CSV file of at most {size} MB.": "Список розыска должен быть файлом CSV не более {size} МБ.",
    "{file} is not a CSV text file.": "{file} — не текстовый файл CSV.",
    "{file}: {imported} entries imported, {skipped} rows skipped.":
        "{file}: загружено записей — {imported}, пропущено строк — {skipped}.",
    "Watch list: {count} documents, loaded {date}.": "Список розыска: документов — {count}, загружен {date}.",
})

MESSAGES.update({
    "Account changed.": "Учётная запись изменена.",
    "Change": "Изменить",
    "Change role": "Сменить роль",
    "Disable": "Отключить",
    "Enable": "Включить",
    "New password": "Новый пароль",
    "Set password": "Задать пароль",
    "disabled": "отключена",
    "This account is disabled. Ask an administrator.": "Эта учётная запись отключена. Обратитесь к администратору.",
    "You cannot disable your own account or change your own role.":
        "Нельзя отключить свою учётную запись или сменить свою роль.",
    "There is no user named {name}.": "Пользователя {name} нет.",
    "{name} is the last active administrator: add another one first.":
        "{name} — последний действующий администратор: сначала добавьте другого.",
})

MESSAGES.update({
    "The text is {count} characters long; one document's MRZ is at most {limit} (3 lines of 30, 2 of 44, with spaces).":
        "Длина текста — {count} символов; МСЗ одного документа — не более {limit} (3 строки по 30, 2 по 44, с пробелами).",
})

MESSAGES.update({
    "An internal error stopped the screening of this document ({error}): please report it. The other documents are screened as usual.":
        "Проверку этого документа остановила внутренняя ошибка ({error}): сообщите о ней. "
        "Остальные документы проверяются как обычно.",
})

# The audit report (screening/audit/report.py, findings.py) and the checks' titles it lists.
MESSAGES.update({
    "Audit report": "Отчёт о проверке архива",
    "Audit report — {archives}": "Отчёт о проверке архива — {archives}",
    "Audit report — {archives} — page {number}": "Отчёт о проверке архива — {archives} — страница {number}",
    "{archives} · screened as of {today} · written {written}":
        "{archives} · проверено на дату {today} · составлен {written}",
    "{out} · written {written}": "{out} · составлен {written}",
    "Written from results.jsonl alone: the audit's progress.sqlite is not in this folder, so the report has no thumbnails, no sessions, and no findings that compare images (duplicate images, shared portraits).":
        "Составлен только по results.jsonl: файла progress.sqlite этой проверки в папке нет, поэтому в отчёте нет "
        "миниатюр, сеансов и находок, для которых сравниваются изображения (повторные изображения, общие портреты).",
    "Back to the report's summary": "Назад к сводке отчёта",
    "Pages screened": "Проверено страниц",
    "Cross-document findings": "Находки по нескольким документам",
    "Throughput": "Скорость",
    "pages/s": "стр./с",
    "Verdicts": "Заключения",
    "All pages by verdict": "Все страницы по заключениям",
    "By issuing state (pages with a readable MRZ)": "По государству выдачи (страницы с прочитанной МСЗ)",
    "By year of issue (estimated)": "По году выдачи (оценка)",
    "year of issue (estimated)": "год выдачи (оценка)",
    "Not printed in the MRZ: estimated as the expiry year minus the longest validity the issuer gives this kind of document (screening/data/validity_periods.json).":
        "В МСЗ не указан: оценивается как год окончания срока действия минус наибольший срок, на который "
        "государство выдаёт такой документ (screening/data/validity_periods.json).",
    "{count} pages without an estimate (visas, unreadable expiry).":
        "Без оценки: {count:plural:страница|страницы|страниц} (визы, нечитаемый срок действия).",
    "Nothing to show.": "Показать нечего.",
    "No page has an estimate.": "Ни для одной страницы нет оценки.",
    "Most common reasons": "Самые частые причины",
    "Pages on which each check failed (a page can fail several).":
        "Страницы, на которых не пройдена каждая проверка (на одной странице их может быть несколько).",
    "pages": "страниц",
    "weight": "вес",
    "check": "проверка",
    "notice": "сведение",
    "e.g.": "напр.",
    "No check failed.": "Ни одна проверка не провалена.",
    "No MRZ found on the page (not a data page, or too blurred / cut off)":
        "МСЗ на странице не найдена (не страница с данными, слишком размыта или обрезана)",
    "Empty file": "Пустой файл",
    "Truncated or damaged image": "Обрезанное или повреждённое изображение",
    "Not an image file": "Не файл изображения",
    "Password-protected PDF": "PDF с паролем",
    "Unreadable PDF": "Нечитаемый PDF",
    "Image too large to open safely": "Изображение слишком велико, чтобы безопасно его открыть",
    "Damaged zip file or member": "Повреждённый zip-файл или его элемент",
    "File could not be opened": "Файл не удалось открыть",
    "The screening process crashed on this file": "Процесс проверки аварийно завершился на этом файле",
    "A bug stopped the screening of this file (see the log)": "Ошибка в программе остановила проверку этого файла (см. журнал)",
    "Visual zone compared with the MRZ": "Визуальная зона в сравнении с МСЗ",
    "Printed fields the screening compared with the MRZ, over all pages read: {share}. A field not compared makes the page a review.":
        "Доля напечатанных полей, сравнённых с МСЗ, по всем прочитанным страницам: {share}. "
        "Несравнённое поле делает заключение по странице «проверить».",
    "field": "поле",
    "compared": "сравнено",
    "not compared": "не сравнено",
    "share": "доля",
    "Across documents": "По нескольким документам",
    "No contradictions or duplicates between documents were found.":
        "Противоречий и повторов между документами не найдено.",
    "What only shows when documents are compared with each other. Portraits are compared by a perceptual hash of the photo area, placed from the MRZ: look at the pictures before acting, as a shared stock or placeholder picture groups too.":
        "То, что видно только при сравнении документов между собой. Портреты сравниваются по перцептивному хешу "
        "области фото, найденной по МСЗ: прежде чем действовать, посмотрите на снимки — общая заглушка или "
        "типовое изображение тоже объединяются в группу.",
    "… and {count} more.": "… и ещё {count}.",
    "Flagged documents": "Документы с замечаниями",
    "Alerts first, then pages to review; the MRZ the reader found is outlined in red.":
        "Сначала тревоги, затем страницы для проверки; найденная МСЗ обведена красным.",
    "Listed: the {listed} of {total} flagged pages with {filters}.":
        "Показаны {listed} из {total} страниц с замечаниями: {filters}.",
    "verdict {verdicts}": "заключение {verdicts}",
    "issuing state {states}": "государство выдачи {states}",
    "failed check {checks}": "не пройдена проверка {checks}",
    "This file shows {first}–{last} of {listed}; the others are on the pages linked below and above, and summary.csv lists every page.":
        "В этом файле — {first}–{last} из {listed}; остальные — на страницах по ссылкам выше и ниже, "
        "а в summary.csv перечислены все страницы.",
    "First": "Первая",
    "Previous": "Предыдущая",
    "Next": "Следующая",
    "Last": "Последняя",
    "Page {number} of {count}": "Страница {number} из {count}",
    "no image": "нет изображения",
    "Not compared with the page (compare by eye): {fields}": "Не сравнивалось со страницей (сравните на глаз): {fields}",
    "{format} {code} {state} no. {number} · {name} · born {birth} · expires {expiry}":
        "{format} {code} {state} № {number} · {name} · род. {birth} · действителен до {expiry}",
    "Unreadable": "Не прочитаны",
    "file": "файл",
    "why": "причина",
    "The first {count} are listed; summary.csv has all.": "Показаны первые {count}; все — в summary.csv.",
    "This run": "Этот запуск",
    "Settings": "Параметры",
    "Archives": "Архивы",
    "Output": "Результаты",
    "Reader engine": "Распознавание",
    "Screened as of": "Проверено на дату",
    "Items (files and zip members)": "Элементы (файлы и содержимое zip)",
    "Pages": "Страницы",
    "Sessions": "Сеансы",
    "A session is one start of the command; an interrupted audit resumed with --resume has several.":
        "Сеанс — один запуск команды; у прерванной проверки, продолженной с --resume, их несколько.",
    "started": "начат",
    "executor": "исполнитель",
    "items": "элементов",
    "screening time": "время проверки",
    "rate": "скорость",
    "s": "с",
    "ms": "мс",
    "Where the time goes": "На что уходит время",
    "Mean per page, measured inside the workers (audit = the fingerprints and thumbnail for cross-document findings).":
        "Среднее на страницу, измерено в рабочих процессах (audit — отпечатки и миниатюра для находок "
        "по нескольким документам).",
    "stage": "этап",
    "mean": "среднее",
    # Findings across documents.
    "One document number, different holders or dates": "Один номер документа — разные владельцы или даты",
    "One portrait, different identities": "Один портрет — разные личности",
    "One holder on several documents": "Один владелец — несколько документов",
    "The same image submitted more than once": "Одно изображение представлено несколько раз",
    "The same document scanned more than once": "Один документ отсканирован несколько раз",
    "A portrait shared too widely to be a face": "Портрет встречается слишком часто, чтобы быть лицом",
    "{name}, born {birth}": "{name}, род. {birth}",
    "{file}: MRZ not read": "{file}: МСЗ не прочитана",
    "{file}: {holder}, {state} no. {number}, expires {expiry}": "{file}: {holder}, {state} № {number}, действителен до {expiry}",
    "Document number {number} ({state}) is carried by {count} different holders.":
        "Номер документа {number} ({state}) встречается у разных владельцев: {count}.",
    "Document number {number} ({state}) appears with different dates of birth, expiry or sex for {name}.":
        "Номер документа {number} ({state}) встречается у {name} с разными датами рождения, сроками действия или полом.",
    "{holder} holds {count} different documents from {issuers} issuers ({states}).":
        "У владельца {holder} разных документов: {count}, выданных разными государствами: {issuers} ({states}).",
    "{holder} holds {count} different documents.": "У владельца {holder} разных документов: {count}.",
    "{pages} pages ({identities} identities) show one and the same portrait: most likely a placeholder, an empty photo frame or specimen artwork, not a face. Look at a few of them.":
        "На {pages:plural:странице|страницах|страницах} ({identities:plural:личность|личности|личностей}) один и тот же "
        "портрет: скорее всего, это заглушка, пустая рамка для фото или изображение образца, а не лицо. "
        "Посмотрите несколько из них.",
    "The same portrait appears on {count} different identities.":
        "Один и тот же портрет у разных личностей: {count}.",
    "One image submitted {count} times ({how}).": "Одно изображение представлено {count:plural:раз|раза|раз} ({how}).",
    "identical pixels": "одинаковые пиксели",
    "near-identical images (a re-encoded or resized copy)":
        "почти одинаковые изображения (перекодированная или уменьшенная копия)",
    "{name}'s document {number} was scanned {count} times (different scans, same MRZ).":
        "Документ {number} ({name}) отсканирован {count:plural:раз|раза|раз} (разные сканы, одна МСЗ).",
    # The checks' titles (screening list-checks; the report's table of reasons).
    "Each line has its layout's length (30, 36 or 44 characters)": "Длина каждой строки соответствует формату (30, 36 или 44 символа)",
    "Each field holds only the characters it allows (digits in dates, letters in codes…)":
        "В каждом поле только допустимые символы (цифры в датах, буквы в кодах…)",
    "Document number check digit (7-3-1, Doc 9303 Part 3, 4.9)":
        "Контрольная цифра номера документа (7-3-1, Doc 9303, часть 3, 4.9)",
    "Date of birth check digit (7-3-1, Doc 9303 Part 3, 4.9)":
        "Контрольная цифра даты рождения (7-3-1, Doc 9303, часть 3, 4.9)",
    "Date of expiry check digit (7-3-1, Doc 9303 Part 3, 4.9)":
        "Контрольная цифра срока действия (7-3-1, Doc 9303, часть 3, 4.9)",
    "Optional data check digit (7-3-1, Doc 9303 Part 3, 4.9)":
        "Контрольная цифра доп. данных (7-3-1, Doc 9303, часть 3, 4.9)",
    "Composite check digit (7-3-1, Doc 9303 Part 3, 4.9)": "Итоговая контрольная цифра (7-3-1, Doc 9303, часть 3, 4.9)",
    "The document code fits the layout (P for passports, A/C/I for ID cards, V for visas)":
        "Код документа соответствует формату (P — паспорта, A/C/I — удостоверения личности, V — визы)",
    "Fillers '<' only where the layout allows them (no gaps inside a number or name)":
        "Заполнители «<» только там, где их допускает формат (без пропусков внутри номера или имени)",
    "Name structure: primary and secondary identifiers, possible truncation":
        "Структура имени: основной и дополнительный идентификаторы, возможное усечение",
    "Issuing state is an ISO 3166-1 alpha-3 or ICAO code": "Государство выдачи — код ISO 3166-1 alpha-3 или ИКАО",
    "Nationality is an ISO 3166-1 alpha-3 or ICAO code": "Гражданство — код ISO 3166-1 alpha-3 или ИКАО",
    "Date of birth is a real calendar date (unknown parts '<' allowed)":
        "Дата рождения — существующая календарная дата (неизвестные части «<» допускаются)",
    "Date of expiry is a real calendar date": "Срок действия — существующая календарная дата",
    "Sex is M, F or '<' (X accepted as a national deviation)":
        "Пол — M, F или «<» (X допускается как национальное отклонение)",
    "Date of birth comes before date of expiry": "Дата рождения раньше срока действия",
    "The holder's age is plausible: not over 100 years by the date of expiry":
        "Возраст владельца правдоподобен: не более 100 лет на дату окончания срока действия",
    "The document has not expired": "Срок действия документа не истёк",
    "The document does not expire within the next 90 days (notice only)":
        "Срок действия не истекает в ближайшие 90 дней (только сведение)",
    "Not a specimen document (Utopia/UTO, XXA issuer, ICAO specimen numbers)":
        "Не образец документа (Utopia/UTO, государство XXA, номера образцов ИКАО)",
    "The expiry date is no further ahead than the issuer's longest validity":
        "Срок действия не дальше наибольшего срока, на который выдаёт государство",
    "Kazakhstan IIN: check digit, and its date and sex agree with the MRZ":
        "ИИН Казахстана: контрольная цифра, дата и пол совпадают с МСЗ",
    "Uzbekistan PINFL: check digit, date and sex (unconfirmed rule: notice only)":
        "ПИНФЛ Узбекистана: контрольная цифра, дата и пол (правило не подтверждено: только сведение)",
    "Every MRZ character was read with confidence (image-based reads)":
        "Каждый символ МСЗ прочитан уверенно (при чтении с изображения)",
    "Characters the reader changed to fit the layout or the check digits (notice)":
        "Символы, исправленные при чтении по формату или контрольным цифрам (сведение)",
    "The document number is not on the watch list of lost, stolen and revoked documents":
        "Номера документа нет в списке утраченных, похищенных и аннулированных документов",
    "The document number is not one OCR-confusable character (0/O, 1/I, 8/B, 5/S, 2/Z) from a listed one":
        "Номер документа не отличается от номера из списка одним похожим при распознавании символом "
        "(0/O, 1/I, 8/B, 5/S, 2/Z)",
    "The MRZ lines share one pitch, character height, baseline slope and spacing (no pasted line)":
        "У строк МСЗ одинаковые шаг, высота символов, наклон базовой линии и интервалы (нет вклеенной строки)",
    "Every MRZ line is printed in OCR-B (glyphs compared with OCR-B)":
        "Каждая строка МСЗ напечатана шрифтом OCR-B (начертания сравнены с OCR-B)",
    "Character pitch and height are in the proportions of OCR-B at 10 per inch":
        "Шаг и высота символов в пропорциях OCR-B при 10 символах на дюйм",
    "The surname printed on the page agrees with the MRZ (ICAO transliteration)":
        "Фамилия на странице совпадает с МСЗ (транслитерация ИКАО)",
    "The given names printed on the page agree with the MRZ (ICAO transliteration)":
        "Имена на странице совпадают с МСЗ (транслитерация ИКАО)",
    "The document number printed on the page agrees with the MRZ": "Номер документа на странице совпадает с МСЗ",
    "The date of birth printed on the page agrees with the MRZ": "Дата рождения на странице совпадает с МСЗ",
    "The date of expiry printed on the page agrees with the MRZ": "Срок действия на странице совпадает с МСЗ",
    "The sex printed on the page agrees with the MRZ": "Пол на странице совпадает с МСЗ",
    "No SPECIMEN / ОБРАЗЕЦ / SAMPLE overprint on the page": "На странице нет надпечатки SPECIMEN / ОБРАЗЕЦ / SAMPLE",
})

# Training: the answer key's explanations (screening/samples/defects.py, generate.py).
MESSAGES.update({
    "Clean document: every check digit is right, the dates are real and in order, the issuer is real, the visual zone agrees with the MRZ and the MRZ is printed evenly in OCR-B. Verdict: clear.":
        "Документ без нарушений: все контрольные цифры верны, даты существуют и идут в правильном порядке, "
        "государство выдачи существует, визуальная зона совпадает с МСЗ, а МСЗ ровно напечатана шрифтом OCR-B. "
        "Заключение: чисто.",
    "The MRZ checks alone give '{verdict}': only comparing the page with the MRZ, looking at the print, or the watch list shows the problem.":
        "Одни проверки МСЗ дают «{verdict}»: нарушение видно только при сравнении страницы с МСЗ, "
        "по печати или по списку розыска.",
    "Verdict: {verdict}.": "Заключение: {verdict}.",
    "stolen": "похищен",
    "lost": "утрачен",
    "revoked": "аннулирован",
    # What the officer should notice, per defect.
    "One check digit in the MRZ does not match its field: recompute it (weights 7-3-1). The field was altered, or the MRZ was typed by hand.":
        "Одна контрольная цифра МСЗ не совпадает со своим полем: пересчитайте её (веса 7-3-1). "
        "Поле изменено, или МСЗ набрана вручную.",
    "Every check digit is right, yet the MRZ and the printed page disagree on a date or the document number: a forger changed the MRZ and recomputed the check digits. Always compare the MRZ with the visual zone.":
        "Все контрольные цифры верны, но МСЗ и напечатанная страница расходятся в дате или номере документа: "
        "подделыватель изменил МСЗ и пересчитал контрольные цифры. Всегда сравнивайте МСЗ с визуальной зоной.",
    "The name printed on the page is not the name in the MRZ (allowing for transliteration): the page or the MRZ was replaced or altered.":
        "Имя, напечатанное на странице, не совпадает с именем в МСЗ (с учётом транслитерации): "
        "страница или МСЗ заменены или изменены.",
    "The document number printed on the page differs from the one in the MRZ (and on the other pages): the page was replaced or altered.":
        "Номер документа на странице отличается от номера в МСЗ (и на других страницах): страница заменена или изменена.",
    "One MRZ line does not match the others: another font, character size, spacing (pitch) or baseline. Look along the lines: genuine MRZ characters sit on one grid, 10 per inch.":
        "Одна строка МСЗ не похожа на другие: другой шрифт, размер символов, шаг или базовая линия. "
        "Посмотрите вдоль строк: символы подлинной МСЗ стоят на одной сетке, 10 на дюйм.",
    "A date in the MRZ does not exist (30 February, month 13), even though its check digit is right: a made-up document.":
        "Даты в МСЗ не существует (30 февраля, 13-й месяц), хотя её контрольная цифра верна: документ выдуман.",
    "The issuing state or nationality code is not an ISO 3166-1 or ICAO code: no state issues this document.":
        "Код государства выдачи или гражданства — не код ISO 3166-1 или ИКАО: такой документ не выдаёт ни одно государство.",
    "The date of expiry has passed: not valid for travel (not a forgery by itself).":
        "Срок действия истёк: документ недействителен для поездок (сам по себе это не подделка).",
    "The state code is UTO (ICAO's fictional Utopia) and the page says SPECIMEN: a sample, not a travel document.":
        "Код государства — UTO (вымышленная Утопия ИКАО), а на странице надпись SPECIMEN: это образец, "
        "а не проездной документ.",
    "The MRZ is consistent, but the document number is on the watch list (lost, stolen or revoked): refer to second-line inspection.":
        "МСЗ непротиворечива, но номер документа есть в списке розыска (утрачен, похищен или аннулирован): "
        "направьте на вторую линию.",
    "The date of birth is later than the date of expiry: impossible for a genuine document.":
        "Дата рождения позже срока действия: у подлинного документа так не бывает.",
    "The surname printed under its label differs by a letter or two from the MRZ's: the page was altered. Read the labelled line itself, not only whether the MRZ's name appears.":
        "Фамилия под своей подписью отличается от фамилии в МСЗ на одну-две буквы: страница изменена. "
        "Читайте саму строку под подписью, а не только ищите на странице имя из МСЗ.",
    "The MRZ's document number differs from the number printed on the page, yet its check digit and the composite are right: the MRZ was re-made with another number.":
        "Номер документа в МСЗ отличается от напечатанного на странице, но его контрольная цифра и итоговая "
        "цифра верны: МСЗ переделана с другим номером.",
    "One MRZ line is in OCR-B like the others but was printed separately: its pitch, character height or baseline differs from the other lines by more than one printer's spread (about 0.3 % pitch, 0.05 mm baseline), and it starts a little off the others' margin.":
        "Одна строка МСЗ напечатана шрифтом OCR-B, как и другие, но отдельно: её шаг, высота символов или "
        "базовая линия отличаются от других строк больше, чем разброс одного принтера (около 0,3 % по шагу, "
        "0,05 мм по базовой линии), и она начинается чуть в стороне от общего поля.",
    # What exactly was changed, per document.
    "{digit} (line {line}, position {position}) is printed {printed}; the correct digit is {correct}.":
        "{digit} (строка {line}, позиция {position}) напечатана как {printed}; правильная цифра — {correct}.",
    "The MRZ date of birth was changed to {date} with every check digit recomputed; the page still prints {printed}.":
        "Дата рождения в МСЗ изменена на {date}, все контрольные цифры пересчитаны; на странице по-прежнему {printed}.",
    "The MRZ document number was changed to {number} with every check digit recomputed; the page still prints {printed}.":
        "Номер документа в МСЗ изменён на {number}, все контрольные цифры пересчитаны; на странице по-прежнему {printed}.",
    "The page prints the surname {surname}; the MRZ says {mrz}.": "На странице фамилия {surname}, в МСЗ — {mrz}.",
    "The page prints document number {number}; the MRZ says {mrz}.": "На странице номер документа {number}, в МСЗ — {mrz}.",
    "MRZ line {line} was pasted in: {what}.": "Строка МСЗ {line} вклеена: {what}.",
    "narrower spacing ({pitch} mm per character instead of {icao} mm)":
        "более узкий шаг ({pitch} мм на символ вместо {icao} мм)",
    "larger characters ({times} times the height of the other lines)":
        "более крупные символы (в {times} раза выше, чем в других строках)",
    "another font (not OCR-B) and slightly larger characters": "другой шрифт (не OCR-B) и чуть более крупные символы",
    "a baseline {mm} mm too high that slopes by {degrees} degrees":
        "базовая линия выше на {mm} мм и наклонена на {degrees}°",
    "The {field} is {date} (MRZ {raw}), a day that does not exist; its check digit is correct.":
        "Поле «{field}» — {date} (в МСЗ {raw}), такого дня не существует; его контрольная цифра верна.",
    "The issuing state code is {code}, which is no ISO 3166-1 or ICAO code.":
        "Код государства выдачи — {code}, это не код ISO 3166-1 или ИКАО.",
    "The document expired on {date}.": "Срок действия документа истёк {date}.",
    "Issued by UTO (Utopia, ICAO's fictional state) and overprinted SPECIMEN.":
        "Выдан UTO (Утопия, вымышленное государство ИКАО), с надпечаткой SPECIMEN.",
    "Document number {number} ({state}) is on the watch list as {reason} since {date}.":
        "Номер документа {number} ({state}) в списке розыска с {date}: {reason}.",
    "The date of birth {birth} is after the date of expiry {expiry} (so the document also appears expired).":
        "Дата рождения {birth} позже срока действия {expiry} (поэтому документ выглядит и просроченным).",
    "The page prints the surname {surname} under its label; the MRZ says {mrz}.":
        "На странице под подписью фамилия {surname}, в МСЗ — {mrz}.",
    "The MRZ document number is {number} with every check digit recomputed; the page prints {printed}.":
        "Номер документа в МСЗ — {number}, все контрольные цифры пересчитаны; на странице — {printed}.",
    "a pitch of {pitch} mm instead of {icao} mm": "шаг {pitch} мм вместо {icao} мм",
    "characters {times} times the height of the other lines": "символы в {times} раза выше, чем в других строках",
    "a baseline {mm} mm lower": "базовая линия ниже на {mm} мм",
    "a baseline {mm} mm higher": "базовая линия выше на {mm} мм",
    "MRZ line {line} was re-printed in OCR-B with {what}, shifted {mm} mm right.":
        "Строка МСЗ {line} перепечатана шрифтом OCR-B: {what}, сдвиг на {mm} мм вправо.",
    "MRZ line {line} was re-printed in OCR-B with {what}, shifted {mm} mm left.":
        "Строка МСЗ {line} перепечатана шрифтом OCR-B: {what}, сдвиг на {mm} мм влево.",
})

MESSAGES.update({
    # The chip: passive authentication (screening/chip/passive.py).
    "Document Signer": "подписант документов",
    "CSCA": "CSCA",
    "not recorded": "не указано",
    "none given": "не указано",
    "none": "нет",
    "Not checked: the chip's signature could not be verified.":
        "Не проверялось: подпись чипа не удалось проверить.",
    "The chip's security object (EF.SOD) could not be read: {detail}.":
        "Объект безопасности чипа (EF.SOD) не читается: {detail}.",
    "The security object does not carry its Document Signer certificate, and the trust store has none that matches: its signature cannot be checked.":
        "В объекте безопасности нет сертификата подписанта документов, а в хранилище доверия подходящего нет: подпись проверить нельзя.",
    "The security object is signed with an algorithm this verifier does not support ({detail}).":
        "Объект безопасности подписан алгоритмом, который эта проверка не поддерживает ({detail}).",
    "The security object's digest ({algorithm}) is not the one its signer signed: it was altered after signing.":
        "Хеш объекта безопасности ({algorithm}) не тот, что подписал подписант: объект изменён после подписания.",
    "The signed content type {signed_type} is not the security object's ({content_type}).":
        "Подписанный тип содержимого {signed_type} не совпадает с типом объекта безопасности ({content_type}).",
    "The security object's signature cannot be checked: {detail}.":
        "Подпись объекта безопасности проверить нельзя: {detail}.",
    "The security object's signature ({algorithm}) does not verify with the Document Signer certificate {signer}.":
        "Подпись объекта безопасности ({algorithm}) не подтверждается сертификатом подписанта документов {signer}.",
    "The security object's signature ({algorithm}) verifies with the Document Signer certificate {signer}.":
        "Подпись объекта безопасности ({algorithm}) подтверждена сертификатом подписанта документов {signer}.",
    "No trust store is installed: the Document Signer certificate cannot be traced to its state's CSCA.":
        "Хранилище доверия не установлено: сертификат подписанта документов нельзя проследить до CSCA государства.",
    "This state's certificates are not installed: the trust store has no CSCA certificate of {state} that issued the Document Signer ({issuer}).":
        "Сертификаты этого государства не установлены: в хранилище доверия нет сертификата CSCA ({state}), выдавшего сертификат подписанта документов ({issuer}).",
    "The Document Signer certificate's signature by the CSCA of {state} cannot be checked: {detail}.":
        "Подпись CSCA ({state}) на сертификате подписанта документов проверить нельзя: {detail}.",
    "The Document Signer certificate names the CSCA {issuer}, but none of the trust store's {count:plural:CSCA certificate|CSCA certificates} of that name signed it.":
        "Сертификат подписанта документов указывает CSCA {issuer}, но ни один из {count:plural:сертификата|сертификатов|сертификатов} CSCA с этим именем в хранилище доверия его не подписывал.",
    "The {role} certificate {subject} is valid from {not_before} to {not_after}, not on {today} (the security object was signed on: {signed_on}).":
        "Сертификат ({role}) {subject} действует с {not_before} по {not_after}, но не на {today} (дата подписания объекта безопасности: {signed_on}).",
    "The Document Signer certificate was issued by the CSCA {csca} of {state} in the trust store; both are valid on {today} (Document Signer until {signer_expiry}, CSCA until {csca_expiry}).":
        "Сертификат подписанта документов выдан CSCA {csca} ({state}) из хранилища доверия; оба действуют на {today} (подписант до {signer_expiry}, CSCA до {csca_expiry}).",
    "Revocation not checked: no CSCA certificate verified the Document Signer.":
        "Отзыв не проверялся: ни один сертификат CSCA не подтвердил подписанта документов.",
    "Revocation not checked: the trust store's {count:plural:CRL|CRLs} under the CSCA's name do not verify with its key, so they were ignored.":
        "Отзыв не проверялся: {count:plural:список|списка|списков} отзыва (CRL) от имени CSCA в хранилище доверия не подтверждаются его ключом и не учтены.",
    "Revocation not checked: the trust store has no CRL of the CSCA {csca}.":
        "Отзыв не проверялся: в хранилище доверия нет списка отзыва (CRL) от CSCA {csca}.",
    "The {role} certificate {subject} (serial {serial}) was revoked on {date} by its CSCA's CRL.":
        "Сертификат ({role}) {subject} (серийный номер {serial}) отозван {date} по списку отзыва его CSCA.",
    "Not revoked by the newest CRL in the trust store, but that CRL (issued {this_update}) was due to be replaced on {next_update}: import a current one.":
        "Не отозван по последнему списку отзыва в хранилище доверия, но этот список (выпущен {this_update}) следовало заменить {next_update}: импортируйте актуальный.",
    "Not revoked: the CSCA's CRL of {this_update} (next update {next_update}) does not list the Document Signer.":
        "Не отозван: в списке отзыва CSCA от {this_update} (следующее обновление {next_update}) подписанта документов нет.",
    "The security object hashes the data groups with {algorithm}, which this verifier does not support.":
        "Объект безопасности хеширует группы данных алгоритмом {algorithm}, который эта проверка не поддерживает.",
    "No data group was read to compare with the security object.":
        "Ни одна группа данных не прочитана для сравнения с объектом безопасности.",
    "Data groups {mismatched} do not hash ({algorithm}) to the values the security object signs: the chip's data were altered. Matching: {matched}.":
        "Хеши групп данных {mismatched} ({algorithm}) не совпадают с подписанными в объекте безопасности: данные чипа изменены. Совпадают: {matched}.",
    "Data groups {not_in_sod} were read but the security object does not list them, so nothing vouches for them. Matching ({algorithm}): {matched}.":
        "Группы данных {not_in_sod} прочитаны, но в объекте безопасности их нет, поэтому их ничто не подтверждает. Совпадают ({algorithm}): {matched}.",
    "Every data group read ({matched}) hashes ({algorithm}) to its value in the security object.":
        "Хеши всех прочитанных групп данных ({matched}, {algorithm}) совпадают со значениями в объекте безопасности.",
})

MESSAGES.update({
    # The chip checks (screening/checks/chip.py).
    "{detail}": "{detail}",
    "Chip not read: {reason}. If the document carries the chip symbol, read it again or examine it further.":
        "Чип не прочитан: {reason}. Если на документе есть знак чипа, прочитайте его снова или изучите документ "
        "подробнее.",
    "no chip reader is connected": "считыватель чипа не подключён",
    "no chip answered on the reader": "на считывателе не ответил ни один чип",
    "the document was taken off the reader during the read": "документ убрали со считывателя во время чтения",
    "the chip stopped answering": "чип перестал отвечать",
    "the chip's answers were damaged or not authentic": "ответы чипа повреждены или неподлинны",
    "the chip uses a protocol this reader does not support": "чип использует протокол, который эта программа не "
                                                              "поддерживает",
    "the chip reported an error": "чип сообщил об ошибке",
    "the chip could not be read": "чип не удалось прочитать",
    "chip authentication": "аутентификация чипа",
    "active authentication": "активная аутентификация",
    "its layout": "его формате",
    "The chip failed {mechanism} ({reason}): a copy of a chip without its private key, or a substituted chip.":
        "Чип не прошёл проверку «{mechanism}» ({reason}): копия чипа без его закрытого ключа или подменённый чип.",
    "The chip offers neither chip nor active authentication (no DG14, no DG15): a copied chip cannot be told from "
    "the original by the chip itself.":
        "Чип не поддерживает ни аутентификацию чипа, ни активную аутентификацию (нет DG14 и DG15): копию чипа "
        "нельзя отличить от оригинала по самому чипу.",
    "The chip opened with the printed MRZ's keys ({protocol}).":
        "Чип открылся ключами напечатанной МСЗ ({protocol}).",
    "The chip proved it holds its private key ({mechanisms}).":
        "Чип доказал, что хранит свой закрытый ключ ({mechanisms}).",
    "The chip read stopped early ({reason}): read it again.":
        "Чтение чипа прервалось ({reason}): прочитайте его снова.",
    "The chip refuses the keys of the printed MRZ (document number, date of birth, date of expiry): the page's MRZ "
    "is not the one the chip was issued with, or it was misread.":
        "Чип не принимает ключи напечатанной МСЗ (номер документа, дата рождения, дата окончания срока): МСЗ на "
        "странице не та, с которой выпущен чип, или она прочитана неверно.",
    "The chip's Document Signer was not issued by its state's CSCA: {detail}":
        "Сертификат подписанта документов чипа выдан не CSCA его государства: {detail}",
    "The chip's MRZ (DG1) could not be read{detail}: not compared.":
        "МСЗ чипа (DG1) не прочитана{detail}: не сравнивалась.",
    "The chip's MRZ (DG1) equals the printed MRZ.": "МСЗ чипа (DG1) совпадает с напечатанной МСЗ.",
    "The chip's MRZ differs from the printed one in {names}: the chip holds {chip}.":
        "МСЗ чипа отличается от напечатанной в полях: {names}; в чипе: {chip}.",
    "The chip's certificates could not be confirmed: {detail}": "Сертификаты чипа не удалось подтвердить: {detail}",
    "The chip's data are not signed as issued: {detail}": "Данные чипа подписаны не так, как при выдаче: {detail}",
    "The chip's data were altered after signing: {detail}": "Данные чипа изменены после подписания: {detail}",
    "The chip's private key was not tested (the read stopped before): read it again.":
        "Закрытый ключ чипа не проверен (чтение прервалось раньше): прочитайте чип снова.",
    "The chip's security object (EF.SOD) was not read: its data cannot be verified.":
        "Объект безопасности чипа (EF.SOD) не прочитан: его данные проверить нельзя.",
    "The chip's signature could not be verified: {detail}": "Подпись чипа проверить не удалось: {detail}",
    "This state's certificates are not installed, so the chip's issuer cannot be confirmed: {detail} (import the "
    "state's CSCA or a master list into the trust store: docs/chip.md).":
        "Сертификаты этого государства не установлены, поэтому выдавшего чип подтвердить нельзя: {detail} "
        "(импортируйте CSCA этого государства или главный список в хранилище доверия: docs/chip.md).",
    "The chip was signed by a Document Signer of {chip_state}, but the MRZ names {state} ({page_state}) as the "
    "issuing state.":
        "Чип подписан подписантом документов государства {chip_state}, а в МСЗ государство выдачи {state} "
        "({page_state}).",
})

# The kiosk's chip line and portrait (kiosk/templates/screen/_chip.html).
MESSAGES.update({
    "Chip: read over {protocol}": "Чип: прочитан по {protocol}",
    "Chip: refused the MRZ's keys": "Чип: отверг ключи МСЗ",
    "Chip: opened over {protocol}, then the read broke off: {reason}":
        "Чип: открыт по {protocol}, затем чтение прервалось: {reason}",
    "Chip: not read: {reason}": "Чип: не прочитан: {reason}",
    "Chip: reading…": "Чип: чтение…",
    "Chip: not read (the kiosk stopped before the read ended)":
        "Чип: не прочитан (киоск остановился до окончания чтения)",
    "Chip: not read (a newer document was screened before this one's chip was read)":
        "Чип: не прочитан (следующий документ был проверен раньше, чем прочитан чип этого)",
    "Chip: not read (its keys come from the MRZ, which was not read)":
        "Чип: не прочитан (ключи к нему берутся из МСЗ, а она не прочитана)",
    "Chip: not read (visas carry no chip)": "Чип: не читался (в визах нет чипа)",
    "Chip: not read (no reader configured)": "Чип: не читался (считыватель не настроен)",
    "The portrait stored in the chip": "Фотография, записанная в чипе",
    "The chip's portrait: compare it with the page and the traveller.":
        "Фотография из чипа: сравните её со страницей и с владельцем.",
    "The chip's portrait (JPEG 2000) could not be converted for display.":
        "Фотографию из чипа (JPEG 2000) не удалось преобразовать для показа.",
    "The chip's portrait could not be shown.": "Фотографию из чипа показать не удалось.",
    "No portrait was read from the chip.": "Из чипа не прочитана фотография.",
    # The chip checks' titles (docs/checks.md, the audit report).
    "The chip opens with the keys of the printed MRZ (BAC or PACE, Doc 9303 Part 11)":
        "Чип открывается ключами напечатанной МСЗ (BAC или PACE, Doc 9303, часть 11)",
    "The chip's MRZ (DG1) equals the printed MRZ, character for character":
        "МСЗ чипа (DG1) совпадает с напечатанной, символ в символ",
    "The chip's security object (EF.SOD) is signed by its Document Signer":
        "Объект безопасности чипа (EF.SOD) подписан его подписантом документов",
    "The Document Signer certificate chains to a CSCA in the trust store (passive authentication)":
        "Сертификат подписанта документов восходит к CSCA из хранилища доверия (пассивная аутентификация)",
    "No CRL in the trust store revokes the Document Signer or its CSCA":
        "Ни один CRL в хранилище доверия не отзывает подписанта документов или его CSCA",
    "Every data group read hashes to its value in the security object":
        "Хеш каждой прочитанной группы данных совпадает со значением в объекте безопасности",
    "The chip proves it holds its private key (chip or active authentication)":
        "Чип доказывает, что хранит свой закрытый ключ (аутентификация чипа или активная аутентификация)",
})

# The light checks (issue 15): white, infrared and ultraviolet images of one page (screening/checks/light.py).
MESSAGES.update({
    "white": "белый свет",
    "infrared": "инфракрасный свет",
    "ultraviolet": "ультрафиолет",
    "The set {stem} holds no image.": "Набор {stem} не содержит ни одного изображения.",
    # Titles (docs/checks.md, the audit report).
    "The MRZ stays black under infrared (B900-absorbing ink, Doc 9303 Part 3)":
        "МСЗ остаётся чёрной в ИК-свете (краска, поглощающая в диапазоне B900, Doc 9303, часть 3)",
    "The paper is dull under ultraviolet (no optical brighteners)":
        "Бумага не светится в УФ-свете (без оптических отбеливателей)",
    "The MRZ's characters and the portrait look alike under every light (no patched field, no substituted photo)":
        "Символы МСЗ и фотография одинаковы при любом освещении (нет исправленного поля, нет заменённой фотографии)",
    "UV-fluorescent features (fibres, printed patterns) are present; audits compare them within a series":
        "Есть элементы, светящиеся в УФ (волокна, печатные узоры); аудит сравнивает их внутри серии",
    # Why a light could not be used.
    "Not checked: no infrared image was supplied (the page was screened under white light only).":
        "Не проверено: ИК-изображение не предоставлено (страница проверена только в белом свете).",
    "Not checked: no ultraviolet image was supplied (the page was screened under white light only).":
        "Не проверено: УФ-изображение не предоставлено (страница проверена только в белом свете).",
    "Not checked: the set has no white-light image to compare with (it has {supplied}).":
        "Не проверено: в наборе нет изображения в белом свете для сравнения (есть: {supplied}).",
    "Not checked: the {light} image of this set is missing (it has {supplied}).":
        "Не проверено: в наборе нет изображения «{light}» (есть: {supplied}).",
    "Not checked: the {light} image could not be read: {why}":
        "Не проверено: изображение «{light}» не удалось прочитать: {why}",
    "Not checked: no MRZ was read on the white-light image, and the light checks are made at the MRZ's places (its "
    "characters, the visual zone and the portrait placed from it).":
        "Не проверено: на снимке в белом свете не прочитана МСЗ, а проверки в других спектрах выполняются по её "
        "расположению (её знаки, визуальная зона и фотография, найденные от неё).",
    "Not checked: the white-light image could not be read ({error}), and the light checks compare the other lights "
    "with it.":
        "Не проверено: снимок в белом свете не удалось прочитать ({error}), а снимки в других спектрах сравниваются "
        "с ним.",
    "The white-light image could not be read: {why}":
        "Снимок в белом свете не удалось прочитать: {why}",
    "Not checked: the {light} image is {detail} pixels: not the same capture as the white image.":
        "Не проверено: изображение «{light}» размером {detail} пикселей — это не тот же снимок, что в белом свете.",
    "Not checked: the {light} image does not correspond to the white one (edge correlation {response}, shift {shift} "
    "px; a capture of the same page correlates at {min_response} or more within {max_shift} px).":
        "Не проверено: изображение «{light}» не соответствует снимку в белом свете (корреляция контуров {response}, "
        "сдвиг {shift} пикс.; снимок той же страницы даёт корреляцию не ниже {min_response} при сдвиге до "
        "{max_shift} пикс.).",
    "Not checked: the MRZ's outline could not be placed on the page, so the lights cannot be compared there.":
        "Не проверено: не удалось определить контур МСЗ на странице, поэтому сравнить освещения невозможно.",
    "Not checked: no MRZ character could be measured in the white image.":
        "Не проверено: ни один символ МСЗ не удалось измерить на снимке в белом свете.",
    "Not checked: too little bare paper was found beside the print to measure its UV response.":
        "Не проверено: рядом с печатью слишком мало чистой бумаги, чтобы измерить её свечение в УФ.",
    "Not checked: the visual zone could not be measured under ultraviolet.":
        "Не проверено: визуальную зону не удалось измерить в УФ-свете.",
    "Not checked: {what}.": "Не проверено: {what}.",
    "Partly checked: {done}; not checked: {not_done}": "Проверено частично: {done}; не проверено: {not_done}",
    # light.ir_mrz
    "The MRZ stays black under infrared: its characters keep {mrz} % of their white-light contrast (median of "
    "{count}; at least {limit} % expected); {viz}.":
        "МСЗ остаётся чёрной в ИК-свете: её символы сохраняют {mrz} % контраста белого света (медиана по {count}; "
        "ожидается не менее {limit} %); {viz}.",
    "The MRZ fades under infrared: its characters keep {mrz} % of their white-light contrast (median of {count}; "
    "ink that absorbs in the B900 band, as Doc 9303 requires, keeps at least {limit} %), while {viz}. It was printed "
    "in another ink.":
        "МСЗ бледнеет в ИК-свете: её символы сохраняют лишь {mrz} % контраста белого света (медиана по {count}; "
        "краска, поглощающая в диапазоне B900, как требует Doc 9303, сохраняет не менее {limit} %), тогда как "
        "{viz}. МСЗ напечатана другой краской.",
    "the visual zone's dark print keeps {viz} %": "тёмная печать визуальной зоны сохраняет {viz} %",
    "the visual zone's print could not be measured": "печать визуальной зоны измерить не удалось",
    # light.uv_paper
    "The paper is dull under ultraviolet: UV brightness {level} (of 255; brightened paper exceeds {limit}).":
        "Бумага не светится в УФ-свете: яркость в УФ {level} (из 255; отбелённая бумага — выше {limit}).",
    "The paper glows under ultraviolet: its UV brightness is {level} (of 255; security paper stays below {limit}). "
    "Optically brightened office paper: not a security substrate.":
        "Бумага светится в УФ-свете: яркость в УФ {level} (из 255; защищённая бумага — ниже {limit}). Это офисная "
        "бумага с оптическим отбеливателем, а не защищённая основа.",
    # light.consistency
    "Alike under every light: {what}.": "Одинаково при любом освещении: {what}.",
    "Differs between lights: {what}.": "Различается при разном освещении: {what}.",
    "the MRZ (no character measured)": "МСЗ (ни один символ не измерен)",
    "the portrait (its area could not be measured)": "фотография (её область измерить не удалось)",
    "the MRZ fades under infrared as a whole (light.ir_mrz), so its characters are not compared with each other":
        "МСЗ целиком бледнеет в ИК-свете (light.ir_mrz), поэтому её символы между собой не сравниваются",
    "characters {first}-{last} of MRZ line {line} keep {run} % of their contrast under infrared against {rest} % for "
    "the rest of the MRZ: they were re-printed in other ink (a patched field)":
        "символы {first}–{last} строки {line} МСЗ сохраняют в ИК-свете {run} % контраста против {rest} % у "
        "остальной МСЗ: они перепечатаны другой краской (исправленное поле)",
    "every MRZ character keeps its contrast under infrared alike (the faintest {low} %, the median {median} %)":
        "все символы МСЗ одинаково сохраняют контраст в ИК-свете (самый бледный {low} %, медиана {median} %)",
    "the portrait's area glows under ultraviolet at {ratio} times the page's paper ({photo} against {paper}; genuine "
    "pages at most {limit} times): the photo was substituted or pasted over":
        "область фотографии светится в УФ в {ratio} раза ярче бумаги страницы ({photo} против {paper}; у подлинных "
        "страниц не более чем в {limit} раза): фотография заменена или наклеена",
    "the portrait's area responds to ultraviolet like the page ({ratio} times its paper)":
        "область фотографии в УФ ведёт себя как страница ({ratio} от яркости её бумаги)",
    # light.uv_features
    "UV-fluorescent features cover {share} % of the visual zone (fibres, printed patterns); their places are "
    "compared between documents of a series in audits, not against a template.":
        "Элементы, светящиеся в УФ, занимают {share} % визуальной зоны (волокна, печатные узоры); их расположение "
        "сравнивается между документами одной серии при аудите, а не с эталоном.",
    "No UV-fluorescent features were found ({share} % of the visual zone glows): genuine pages of most series show "
    "fibres or a printed pattern under UV. Compare with another document of the series.":
        "Элементы, светящиеся в УФ, не найдены (светится {share} % визуальной зоны): у подлинных страниц большинства "
        "серий в УФ видны волокна или печатный узор. Сравните с другим документом этой серии.",
    # The light defects of the sample generator (answer keys, course sheets).
    "The MRZ is printed in ink that does not absorb in infrared: it keeps {share} % of its contrast under IR.":
        "МСЗ напечатана краской, не поглощающей ИК-излучение: в ИК-свете она сохраняет {share} % контраста.",
    "Under infrared the MRZ fades: Doc 9303 requires it in ink that absorbs in the B900 band, so a genuine MRZ stays "
    "black in IR. Inkjet dyes and many office toners do not.":
        "В ИК-свете МСЗ бледнеет: Doc 9303 требует краску, поглощающую в диапазоне B900, поэтому подлинная МСЗ в ИК "
        "остаётся чёрной. Струйные красители и многие офисные тонеры — нет.",
    "The page is printed on brightened office paper: it glows under UV at {glow} % of full scale.":
        "Страница напечатана на отбелённой офисной бумаге: в УФ она светится на {glow} % полной шкалы.",
    "Under ultraviolet the paper glows bright blue-white: office paper with optical brighteners. Security paper is "
    "dull under UV.":
        "В УФ-свете бумага ярко светится голубовато-белым: это офисная бумага с оптическим отбеливателем. Защищённая "
        "бумага в УФ не светится.",
    "MRZ line {line}, positions {start}-{end} ({field}), were re-printed in ink that does not absorb in infrared: "
    "they keep {share} % of their contrast under IR.":
        "Строка {line} МСЗ, позиции {start}–{end} ({field}), перепечатаны краской, не поглощающей ИК-излучение: в ИК "
        "они сохраняют {share} % контраста.",
    "Under infrared some characters of the MRZ fade while the rest stay black: the field was erased and re-printed "
    "in other ink. In white light it looks like the others.":
        "В ИК-свете часть символов МСЗ бледнеет, а остальные остаются чёрными: поле стёрто и перепечатано другой "
        "краской. В белом свете оно не отличается от остальных.",
    "The portrait was substituted: its photo paper glows under UV at {glow} % of full scale.":
        "Фотография заменена: её фотобумага светится в УФ на {glow} % полной шкалы.",
    "Under ultraviolet the portrait glows while the page around it is dull, and the page's UV pattern stops at its "
    "edge: another photo was pasted or printed in.":
        "В УФ-свете фотография светится, а страница вокруг неё — нет, и УФ-узор страницы обрывается на её краю: "
        "вклеена или впечатана другая фотография.",
    # The kiosk's light switch (a page captured under white, infrared and ultraviolet light).
    "Light": "Свет",
    "White light": "Белый свет",
    "Infrared": "Инфракрасный",
    "Ultraviolet": "Ультрафиолет",
    "switches the light": "переключает свет",
    "white, infrared, ultraviolet image (a page under several lights)":
        "снимок в белом, инфракрасном, ультрафиолетовом свете (страница, снятая в нескольких видах света)",
    "Missing from this set": "В комплекте нет снимка",
    "The page under this light": "Страница в этом свете",
    "This image could not be laid onto the white one: no marks are drawn on it.":
        "Этот снимок не удалось совместить со снимком в белом свете: отметки на нём не показаны.",
    "No image of this light could be shown.": "Снимок в этом свете показать не удалось.",
    "Blue: the MRZ as read. Red or amber: the fields with a problem, and under infrared or ultraviolet what that "
    "light shows.":
        "Синим: прочитанная МСЗ. Красным или жёлтым: поля с замечаниями, а в инфракрасном и ультрафиолетовом свете — "
        "то, что в нём видно.",
    "The MRZ fades under infrared": "МСЗ бледнеет в инфракрасном свете",
    "Characters re-printed in other ink": "Символы перепечатаны другой краской",
    "The MRZ differs under infrared": "МСЗ выглядит иначе в инфракрасном свете",
    "The portrait glows under ultraviolet": "Фотография светится в ультрафиолете",
    "The paper glows under ultraviolet": "Бумага светится в ультрафиолете",
    "No UV-fluorescent features": "Нет элементов, светящихся в ультрафиолете",
    # The audit's report of pages under several lights (screening/audit/report.py, findings.py).
    "UV features unlike the rest of the series": "УФ-элементы не такие, как у остальных документов серии",
    "{file}'s UV-fluorescent features lie elsewhere than on the {count} other documents of its series {series}: "
    "{distance} points per cell from the series' median (the series' documents typically {typical}; an outlier "
    "differs by more than {limit}).":
        "УФ-люминесцентные элементы {file} расположены не там, где у остальных документов серии {series} ({count}): "
        "{distance} п. на ячейку от медианы серии (обычно у документов серии {typical}; выброс — больше {limit}).",
    "pages under several lights": "страниц в нескольких видах света",
    "a light missing": "нет снимка в одном из видов света",
    "MRZ fades under infrared": "МСЗ бледнеет в ИК-свете",
    "paper glows under UV": "бумага светится в УФ",
    "differs between lights": "различия между видами света",
    "no UV features": "нет УФ-элементов",
    "light check could not run": "проверка в ИК/УФ не выполнена",
    "Pages whose images under white, infrared and ultraviolet light were screened together, and the light checks "
    "that failed on them. A post is the archive given to the audit; a series is the issuing state, the document code "
    "and the first characters of the number.":
        "Страницы, снимки которых в белом, инфракрасном и ультрафиолетовом свете проверены вместе, и не пройденные ими "
        "проверки в этих видах света. Пост — архив, переданный на аудит; серия — государство выдачи, код документа и "
        "первые знаки номера.",
    "Under infrared and ultraviolet light": "В инфракрасном и ультрафиолетовом свете",
    "By post": "По постам",
    "By series": "По сериям",
    "post": "пост",
    "series": "серия",
})
